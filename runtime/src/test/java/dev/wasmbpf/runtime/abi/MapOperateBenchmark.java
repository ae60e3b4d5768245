package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfObject;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * wasm_bpf_map_operate lookup and update as the host function runs them (registry, bounds checks, copies,
 * syscall), next to the bare {@link BpfMap} call on native segments: the difference is the ABI's cost.
 * Needs root and a kernel with bpf(); uses bench/target/native/maplookup.bpf.o (make -C bench).
 */
public class MapOperateBenchmark extends HostPathBenchmark {
    private static final int KEY_PTR = 4096;
    private static final int VALUE_PTR = 4112;

    @Param("bench/target/native/maplookup.bpf.o")
    public String object;

    private AbiContext context;
    private MapFunctions functions;
    private BpfMap map;
    private int fd;
    private Arena arena;
    private MemorySegment key;
    private MemorySegment value;

    @Setup
    public void setUp() throws IOException, BpfException {
        context = TinyGuest.context();
        BpfObject bpf = BpfObject.open(Files.readAllBytes(Path.of(object)), "maplookup");
        bpf.load();
        context.objects().register(bpf);
        map = bpf.map("values").orElseThrow();
        fd = map.fd();
        functions = new MapFunctions(context);
        arena = Arena.ofConfined();
        key = arena.allocate(ValueLayout.JAVA_INT);
        key.set(ValueLayout.JAVA_INT, 0, 1);
        value = arena.allocate(ValueLayout.JAVA_LONG);
        value.set(ValueLayout.JAVA_LONG, 0, 42);
        context.memory().copyFromNative(key, 0, KEY_PTR, 4);
        context.memory().copyFromNative(value, 0, VALUE_PTR, 8);
        if (functions.operate(fd, MapFunctions.CMD_UPDATE, KEY_PTR, VALUE_PTR, 0, 0) != 0) {
            throw new IllegalStateException("update failed");
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
        context.close();
    }

    @Benchmark
    public long abiLookup() {
        return functions.operate(fd, MapFunctions.CMD_LOOKUP, KEY_PTR, VALUE_PTR, 0, 0);
    }

    @Benchmark
    public long abiUpdate() {
        return functions.operate(fd, MapFunctions.CMD_UPDATE, KEY_PTR, VALUE_PTR, 0, 0);
    }

    @Benchmark
    public int directLookup() {
        return map.lookup(key, value);
    }
}
