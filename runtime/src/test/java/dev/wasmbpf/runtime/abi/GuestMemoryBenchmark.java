package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.runtime.GuestMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** Guest-memory bounds checks and copies, as every host call does them. No kernel needed. */
public class GuestMemoryBenchmark extends HostPathBenchmark {
    /** The bootstrap event's size: what one ring-buffer sample copies. */
    static final int EVENT_SIZE = 168;

    private GuestMemory memory;
    private Arena arena;
    private MemorySegment sample;
    private MemorySegment key;
    private int stringPtr;

    @Setup
    public void setUp() {
        memory = new GuestMemory(TinyGuest.instance());
        arena = Arena.ofConfined();
        sample = arena.allocate(EVENT_SIZE);
        key = arena.allocate(8);
        stringPtr = 1024;
        byte[] name = "values\0".getBytes(StandardCharsets.US_ASCII);
        memory.copyFromNative(MemorySegment.ofArray(name), 0, stringPtr, name.length);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public boolean containsCheck() {
        return memory.contains(4096, EVENT_SIZE);
    }

    @Benchmark
    public Optional<String> readMapName() {
        return memory.readCString(stringPtr);
    }

    @Benchmark
    public void copySampleIntoGuest() {
        memory.copyFromNative(sample, 0, 4096, EVENT_SIZE);
    }

    @Benchmark
    public MemorySegment copyKeyOutOfGuest() {
        memory.copyToNative(4096, key, 4);
        return key;
    }
}
