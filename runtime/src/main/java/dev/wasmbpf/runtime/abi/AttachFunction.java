package dev.wasmbpf.runtime.abi;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.runtime.HostFunction;
import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.SectionTable;
import dev.wasmbpf.bpf.SectionTable.AttachTarget;
import dev.wasmbpf.bpf.link.UprobeTarget;
import dev.wasmbpf.runtime.RunEvent;
import java.util.List;
import java.util.Optional;

/**
 * {@code wasm_attach_bpf_program}: attaches a program by function name. Without a target, libbpf's
 * section-driven auto-attach; with one, the program's section decides what the target names (a cgroup
 * directory, an interface, a {@code path:function} for uprobes). Links stay owned by the object.
 */
final class AttachFunction {
    private final AbiContext context;

    AttachFunction(AbiContext context) {
        this.context = context;
    }

    HostFunction function() {
        return HostFunctions.define(
                context,
                HostFunctions.MODULE,
                "wasm_attach_bpf_program",
                HostFunctions.type(List.of(I64, I32, I32), List.of(I32)),
                args -> attach(args[0], (int) args[1], (int) args[2]));
    }

    long attach(long handle, int namePtr, int targetPtr) {
        LoadedObject loaded = context.objects().get(handle);
        if (loaded == null) {
            return -Errno.EINVAL;
        }
        Optional<String> name = context.memory().readCString(namePtr);
        if (name.isEmpty()) {
            return -Errno.EFAULT;
        }
        String target = null;
        if (targetPtr != 0) {
            Optional<String> read = context.memory().readCString(targetPtr);
            if (read.isEmpty()) {
                return -Errno.EFAULT;
            }
            target = read.get().isEmpty() ? null : read.get();
        }
        Optional<BpfProgram> program = loaded.object().program(name.get());
        if (program.isEmpty()) {
            return -Errno.ENOENT;
        }
        try {
            long result = attach(program.get(), target);
            if (result == 0) {
                context.monitor()
                        .programAttached(
                                program.get().name(), program.get().sectionName(), target == null ? "" : target);
            }
            return result;
        } catch (BpfException e) {
            context.emit(new RunEvent.AttachFailed(
                    context.moduleName(), name.get(), target == null ? "" : target, e.errno(), e.getMessage()));
            return -e.errno();
        }
    }

    private long attach(BpfProgram program, String target) throws BpfException {
        // Without a target libbpf attaches by itself (or says why it can't); with one, the section decides
        // what the target names.
        AttachTarget kind = target == null ? AttachTarget.LIBBPF : SectionTable.attachTarget(program.sectionName());
        switch (kind) {
            case CGROUP -> {
                AttachPolicy.Resolution cgroup = context.attachPolicy().resolveCgroup(target);
                if (!cgroup.allowed()) {
                    return refuse(program, target, cgroup.error(), "--allow-attach");
                }
                program.attachCgroup(cgroup.path());
            }
            case XDP_INTERFACE -> program.attachXdp(target);
            case TC_INGRESS, TC_EGRESS -> program.attachTc(target);
            case SOCKET_INTERFACE -> program.attachSocketFilter(target);
            case UPROBE, URETPROBE -> {
                int colon = target.lastIndexOf(':');
                if (colon <= 0 || colon == target.length() - 1) {
                    context.emit(new RunEvent.BadAttachTarget(
                            context.moduleName(), program.name(), target, "path:function"));
                    return -Errno.EINVAL;
                }
                AttachPolicy.Resolution binary = context.attachPolicy().resolveBinary(target.substring(0, colon));
                if (!binary.allowed()) {
                    return refuse(program, target, binary.error(), "--allow-attach or --dir");
                }
                program.attachUprobe(
                        new UprobeTarget(binary.path(), target.substring(colon + 1), kind == AttachTarget.URETPROBE));
            }
            case LIBBPF, NONE -> program.attach();
        }
        return 0;
    }

    private long refuse(BpfProgram program, String target, int error, String grant) {
        if (error == -Errno.EACCES) {
            context.emit(new RunEvent.AttachRefused(context.moduleName(), program.name(), target, grant));
        }
        return error;
    }
}
