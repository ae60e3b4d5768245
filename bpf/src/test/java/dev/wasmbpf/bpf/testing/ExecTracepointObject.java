package dev.wasmbpf.bpf.testing;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireFeature;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.tracefsMounted;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfObject;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One of the exec test objects ({@code exec_ringbuf}, {@code exec_perf}: {@code handle_exec} on
 * sched_process_exec writing {@link ExecEvents} into the map {@code events}), loaded and attached before each
 * test and closed after it, however the test ends:
 * {@code @RegisterExtension final ExecTracepointObject exec = new ExecTracepointObject("exec_perf");}, or, where the
 * object is a test's parameter, {@code try (var exec = ExecTracepointObject.attached("exec_perf")) { … }}.
 */
public final class ExecTracepointObject implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    private final String name;
    private BpfObject object;

    public ExecTracepointObject(String name) {
        this.name = name;
    }

    /** The object {@code name}, loaded and attached now; closing it detaches and frees it. */
    public static ExecTracepointObject attached(String name) throws BpfException {
        ExecTracepointObject exec = new ExecTracepointObject(name);
        try {
            exec.beforeEach(null);
        } catch (BpfException | RuntimeException e) {
            exec.close(); // opened but not loaded or attached: nothing stays in the kernel
            throw e;
        }
        return exec;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws BpfException {
        requireKernel();
        requireFeature("tracefs (for tracepoint ids)", tracefsMounted());
        object = BpfObject.open(testObject(name), name);
        object.load();
        object.program("handle_exec").orElseThrow().attach();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        if (object != null) {
            object.close();
            object = null;
        }
    }

    /** The buffer map the program writes exec events to. */
    public BpfMap events() {
        return object.map("events").orElseThrow();
    }
}
