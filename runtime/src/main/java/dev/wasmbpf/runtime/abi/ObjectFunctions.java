package dev.wasmbpf.runtime.abi;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.runtime.HostFunction;
import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfObject;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.runtime.RunEvent;
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
                HostFunctions.define(context, HostFunctions.MODULE, "wasm_load_bpf_object",
                        HostFunctions.type(List.of(I32, I32), List.of(I64)),
                        args -> load((int) args[0], (int) args[1])),
                HostFunctions.define(context, HostFunctions.MODULE, "wasm_close_bpf_object",
                        HostFunctions.type(List.of(I64), List.of(I32)),
                        args -> close(args[0])));
    }

    /** Returns a new handle, or 0 when the object can't be read, opened or loaded (the reason goes to stderr). */
    long load(int buffer, int size) {
        GuestMemory memory = context.memory();
        if (size <= 0 || !memory.contains(buffer, size)) {
            context.emit(new RunEvent.ObjectLoadFailed(context.moduleName(), Errno.EFAULT, "load BPF object: buffer ["
                    + Integer.toUnsignedString(buffer) + ", +" + size + ") is outside guest memory"));
            return 0;
        }
        byte[] elf = memory.read(buffer, size);
        var problem = ObjectPrecheck.problem(elf);
        if (problem.isPresent()) {
            context.emit(new RunEvent.ObjectLoadFailed(context.moduleName(), Errno.EINVAL,
                    "failed to open BPF object: " + problem.get()));
            return 0;
        }
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
        long handle = context.objects().register(object);
        context.emit(new RunEvent.ObjectLoaded(context.moduleName(), handle,
                object.programs().stream().map(BpfProgram::name).toList(),
                object.maps().stream().map(BpfMap::name).toList()));
        return handle;
    }

    /**
     * The diagnostic for a failed open or load. A permission error gets one line naming the capabilities
     * bpf() wants, since libbpf's own message ("operation not permitted") doesn't say what to do about it.
     */
    static String describeFailure(String step, BpfException e) {
        if (e.errno() == Errno.EPERM) {
            return step + " BPF object failed: operation not permitted — needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
                    + missingCapabilities() + userNamespace() + "; run as root or grant them";
        }
        return (step.equals("opening") ? "failed to open BPF object: " : "failed to load BPF object: ") + e.getMessage();
    }

    // Bit numbers from <linux/capability.h>.
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    /** ", this process lacks X and Y" from /proc/self/status, or "" when that can't be read. */
    static String missingCapabilities() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    List<String> missing = new java.util.ArrayList<>();
                    if ((effective & (1L << CAP_BPF)) == 0) {
                        missing.add("CAP_BPF");
                    }
                    if ((effective & (1L << CAP_PERFMON)) == 0) {
                        missing.add("CAP_PERFMON");
                    }
                    if ((effective & (1L << CAP_SYS_ADMIN)) == 0) {
                        missing.add("CAP_SYS_ADMIN");
                    }
                    return missing.isEmpty() ? "" : ", this process lacks " + String.join(", ", missing);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Without /proc the general advice stands on its own.
        }
        return "";
    }

    /**
     * ", in a user namespace …" when this process is not in the initial user namespace: there it may hold
     * every capability, yet bpf() checks them against the initial namespace.
     */
    static String userNamespace() {
        try {
            String map = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/uid_map")).trim();
            String[] fields = map.split("\\s+");
            boolean initial = fields.length == 3 && fields[0].equals("0") && fields[1].equals("0")
                    && fields[2].equals("4294967295");
            return initial ? "" : ", and capabilities inside a user namespace do not count for bpf()";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    long close(long handle) {
        return context.objects().close(handle) ? 0 : -Errno.EINVAL;
    }
}
