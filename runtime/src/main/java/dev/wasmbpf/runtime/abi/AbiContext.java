package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.runtime.Instance;
import dev.wasmbpf.runtime.GuestMemory;
import dev.wasmbpf.runtime.RunEvent;
import dev.wasmbpf.runtime.RunEventListener;
import dev.wasmbpf.runtime.internal.ExecutionControl;
import dev.wasmbpf.runtime.internal.HostCallBoundary;
import dev.wasmbpf.runtime.internal.RunMonitor;
import java.io.PrintStream;
import java.util.Objects;

/**
 * What the {@code wasm_bpf} host functions of one module instance share: its objects, its memory, its
 * execution control, the boundary its host calls go through, where its events go, and what its attach targets
 * may name.
 */
public final class AbiContext implements AutoCloseable {
    private final ObjectRegistry objects = new ObjectRegistry();
    private final NativeScratch scratch = new NativeScratch();
    private final HostCallBoundary boundary;
    private final AttachPolicy attachPolicy;
    private final String callbackExportName;
    private Instance instance;
    private GuestMemory memory;

    public AbiContext(HostCallBoundary boundary, AttachPolicy attachPolicy, String callbackExportName) {
        this.boundary = Objects.requireNonNull(boundary);
        this.attachPolicy = Objects.requireNonNull(attachPolicy);
        this.callbackExportName = Objects.requireNonNull(callbackExportName);
    }

    /** A context outside a run (benchmarks, the host-ABI fuzzer): diagnostics printed on {@code stderr}. */
    public AbiContext(
            ExecutionControl control, PrintStream stderr, AttachPolicy attachPolicy, String callbackExportName) {
        this(
                new HostCallBoundary(control, new RunMonitor("guest", RunEventListener.diagnostics(stderr), stderr)),
                attachPolicy,
                callbackExportName);
    }

    /** Binds the instance once it exists (host functions are created before instantiation). */
    public void bind(Instance instance) {
        this.instance = instance;
        this.memory = new GuestMemory(instance);
    }

    Instance instance() {
        return instance;
    }

    GuestMemory memory() {
        return memory;
    }

    /** The bound instance's memory, for embedder host functions. */
    public GuestMemory guestMemory() {
        return memory;
    }

    ObjectRegistry objects() {
        return objects;
    }

    NativeScratch scratch() {
        return scratch;
    }

    ExecutionControl control() {
        return boundary.control();
    }

    HostCallBoundary boundary() {
        return boundary;
    }

    RunMonitor monitor() {
        return boundary.monitor();
    }

    String moduleName() {
        return boundary.monitor().module();
    }

    AttachPolicy attachPolicy() {
        return attachPolicy;
    }

    String callbackExportName() {
        return callbackExportName;
    }

    /** Hands a diagnostic or lifecycle event to the run's listener. */
    void emit(RunEvent event) {
        boundary.monitor().emit(event);
    }

    /** Number of BPF objects still open. */
    public int openObjects() {
        return objects.size();
    }

    /** Releases every kernel object the instance still holds, then the native scratch buffers. */
    @Override
    public void close() {
        try {
            objects.close();
        } finally {
            scratch.close();
        }
    }
}
