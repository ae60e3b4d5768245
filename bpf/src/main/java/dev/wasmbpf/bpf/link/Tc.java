package dev.wasmbpf.bpf.link;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.ProgramType;
import dev.wasmbpf.bpf.SectionTable;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Attaches a {@code SEC("tc")} program as a direct-action filter on the clsact hook of a network interface
 * ({@code bpf_tc_hook_create}, {@code bpf_tc_attach}; Linux 4.5 with clsact), creating the hook if needed: ingress
 * unless the section name says {@code tc/egress} or {@code tcx/egress} ({@link SectionTable}). The link is not a
 * kernel fd: closing it detaches the filter by handle and priority ({@code bpf_tc_detach}). The clsact qdisc stays,
 * because other users' filters may hang on it and an empty one costs nothing.
 */
public final class Tc {
    /** {@code enum bpf_tc_attach_point} in {@code /usr/include/bpf/libbpf.h}. */
    private static final int BPF_TC_INGRESS = 1;

    private static final int BPF_TC_EGRESS = 2;

    private static final StructLayout HOOK = NativeLayouts.TC_HOOK;
    private static final StructLayout OPTS = NativeLayouts.TC_OPTS;
    private static final long HOOK_IFINDEX = NativeLayouts.offset(HOOK, "ifindex");
    private static final long HOOK_ATTACH_POINT = NativeLayouts.offset(HOOK, "attach_point");
    private static final long OPTS_PROG_FD = NativeLayouts.offset(OPTS, "prog_fd");
    private static final long OPTS_HANDLE = NativeLayouts.offset(OPTS, "handle");
    private static final long OPTS_PRIORITY = NativeLayouts.offset(OPTS, "priority");

    private Tc() {}

    /** ENODEV for an unknown interface, EINVAL for a program that is not SCHED_CLS, libbpf's error otherwise. */
    public static BpfLink attach(BpfProgram program, String ifname) throws BpfException {
        int ifindex = NetworkInterface.indexFor(program, ifname, ProgramType.SCHED_CLS, "tc");
        boolean egress = SectionTable.attachTarget(program.sectionName()) == SectionTable.AttachTarget.TC_EGRESS;
        String description = program.name() + " -> tc " + (egress ? "egress" : "ingress") + " of " + ifname;
        int progFd = Attachment.loadedFd(program);
        int attachPoint = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hook = hook(arena, ifindex, attachPoint);
            // An existing clsact qdisc is fine: libbpf warns about it, so its lines are withheld.
            var created = LibbpfLog.captureQuietly(() -> LibbpfCalls.tcHookCreate(hook));
            int rc = created.result();
            if (rc < 0 && rc != -Errno.EEXIST) {
                created.forward();
                throw new BpfException(
                        "cannot create clsact hook for " + description + ": " + Errno.describe(rc) + created.joined(),
                        Errno.normalize(rc));
            }
            MemorySegment opts = arena.allocate(OPTS);
            opts.set(JAVA_LONG, 0, OPTS.byteSize());
            opts.set(JAVA_INT, OPTS_PROG_FD, progFd);
            var attached = LibbpfLog.capture(() -> LibbpfCalls.tcAttach(hook, opts));
            rc = attached.result();
            if (rc < 0) {
                throw new BpfException(
                        "cannot attach tc filter " + description + ": " + Errno.describe(rc) + attached.joined(),
                        Errno.normalize(rc));
            }
            int handle = opts.get(JAVA_INT, OPTS_HANDLE);
            int priority = opts.get(JAVA_INT, OPTS_PRIORITY);
            return OwnedLink.adopt(program, description, () -> detach(ifindex, attachPoint, handle, priority));
        }
    }

    private static void detach(int ifindex, int attachPoint, int handle, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            // bpf_tc_detach wants handle and priority set, prog_fd, flags and prog_id zero.
            MemorySegment opts = arena.allocate(OPTS);
            opts.set(JAVA_LONG, 0, OPTS.byteSize());
            opts.set(JAVA_INT, OPTS_HANDLE, handle);
            opts.set(JAVA_INT, OPTS_PRIORITY, priority);
            LibbpfCalls.tcDetach(hook(arena, ifindex, attachPoint), opts);
        }
    }

    private static MemorySegment hook(Arena arena, int ifindex, int attachPoint) {
        MemorySegment hook = arena.allocate(HOOK);
        hook.set(JAVA_LONG, 0, HOOK.byteSize());
        hook.set(JAVA_INT, HOOK_IFINDEX, ifindex);
        hook.set(JAVA_INT, HOOK_ATTACH_POINT, attachPoint);
        return hook;
    }
}
