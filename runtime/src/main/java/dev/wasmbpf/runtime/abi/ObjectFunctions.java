package dev.wasmbpf.runtime.abi;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.runtime.HostFunction;
import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfObject;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.runtime.GuestMemory;
import dev.wasmbpf.runtime.RunEvent;
import java.time.Duration;
import java.util.List;

/** {@code wasm_load_bpf_object} and {@code wasm_close_bpf_object}. */
final class ObjectFunctions {
    /** libbpf derives internal map names (e.g. "wasm_bp.rodata") from the object name. */
    private static final String OBJECT_NAME = "wasm_bpf";

    private final AbiContext context;

    ObjectFunctions(AbiContext context) {
        this.context = context;
    }

    List<HostFunction> functions() {
        return List.of(
                HostFunctions.define(
                        context,
                        HostFunctions.MODULE,
                        "wasm_load_bpf_object",
                        HostFunctions.type(List.of(I32, I32), List.of(I64)),
                        args -> load((int) args[0], (int) args[1])),
                HostFunctions.define(
                        context,
                        HostFunctions.MODULE,
                        "wasm_close_bpf_object",
                        HostFunctions.type(List.of(I64), List.of(I32)),
                        args -> close(args[0])));
    }

    /** Returns a new handle, or 0 when the object can't be read, opened or loaded (the reason goes to stderr). */
    long load(int buffer, int size) {
        GuestMemory memory = context.memory();
        if (size <= 0 || !memory.contains(buffer, size)) {
            context.emit(new RunEvent.ObjectLoadFailed(
                    context.moduleName(),
                    Errno.EFAULT,
                    "load BPF object: buffer [" + Integer.toUnsignedString(buffer) + ", +" + size
                            + ") is outside guest memory"));
            return 0;
        }
        byte[] elf = memory.read(buffer, size);
        long began = System.nanoTime();
        BpfObject object;
        try {
            object = BpfObject.open(elf, OBJECT_NAME);
        } catch (BpfException e) {
            context.emit(new RunEvent.ObjectLoadFailed(context.moduleName(), e.errno(), describeFailure("opening", e)));
            return 0;
        }
        try {
            object.load();
        } catch (BpfException e) {
            context.emit(new RunEvent.ObjectLoadFailed(context.moduleName(), e.errno(), describeFailure("loading", e)));
            object.close();
            return 0;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        long handle = context.objects().register(object);
        context.emit(new RunEvent.ObjectLoaded(
                context.moduleName(),
                handle,
                object.programs().stream().map(BpfProgram::name).toList(),
                object.maps().stream().map(BpfMap::name).toList(),
                took));
        return handle;
    }

    /** The diagnostic for a failed open or load; an EPERM arrives already explained by the bpf layer. */
    static String describeFailure(String step, BpfException e) {
        if (e.errno() == Errno.EPERM) {
            return step + " BPF object failed: " + e.getMessage();
        }
        return (step.equals("opening") ? "failed to open BPF object: " : "failed to load BPF object: ")
                + e.getMessage();
    }

    long close(long handle) {
        return context.objects().close(handle) ? 0 : -Errno.EINVAL;
    }
}
