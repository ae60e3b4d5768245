package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.runtime.Instance;
import dev.wasmbpf.runtime.ExecutionControl;
import java.io.PrintStream;
import java.util.Objects;

/**
 * What the {@code wasm_bpf} host functions of one module instance share: its objects, its memory, its
 * execution control, where errors are reported, and what its attach targets may name.
 */
public final class AbiContext implements AutoCloseable {
    private final ObjectRegistry objects = new ObjectRegistry();
    private final NativeScratch scratch = new NativeScratch();
    private final ExecutionControl control;
    private final PrintStream stderr;
    private final AttachPolicy attachPolicy;
    private final String callbackExportName;
    private Instance instance;
    private GuestMemory memory;

    public AbiContext(ExecutionControl control, PrintStream stderr, AttachPolicy attachPolicy,
            String callbackExportName) {
        this.control = Objects.requireNonNull(control);
        this.stderr = Objects.requireNonNull(stderr);
        this.attachPolicy = Objects.requireNonNull(attachPolicy);
        this.callbackExportName = Objects.requireNonNull(callbackExportName);
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
        return control;
    }

    AttachPolicy attachPolicy() {
        return attachPolicy;
    }

    String callbackExportName() {
        return callbackExportName;
    }

    /** One diagnostic line on the module's stderr. */
    void report(String message) {
        stderr.println("wasm-bpf: " + message);
        stderr.flush();
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
