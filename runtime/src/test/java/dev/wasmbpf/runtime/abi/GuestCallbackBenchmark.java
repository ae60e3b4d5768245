package dev.wasmbpf.runtime.abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-sample work of wasm_bpf_buffer_poll once libbpf hands a sample over: copy it into the guest's
 * data buffer and call the guest callback (compiled). libbpf's own ring-buffer read and the upcall into
 * Java are not included (they need kernel events; the harness measures the whole path).
 */
public class GuestCallbackBenchmark extends HostPathBenchmark {
    private AbiContext context;
    private GuestCallback callback;
    private Arena arena;
    private MemorySegment sample;

    @Setup
    public void setUp() {
        context = TinyGuest.context();
        callback = new GuestCallback(context, () -> false).prepare(TinyGuest.CALLBACK, 0, 4096, 256);
        arena = Arena.ofConfined();
        sample = arena.allocate(GuestMemoryBenchmark.EVENT_SIZE);
    }

    @TearDown
    public void tearDown() {
        arena.close();
        context.close();
    }

    @Benchmark
    public int deliverSample() {
        return callback.accept(sample);
    }
}
