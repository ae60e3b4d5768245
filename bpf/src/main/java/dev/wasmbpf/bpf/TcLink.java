package dev.wasmbpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * A tc filter on a clsact hook ({@code bpf_tc_attach}). Closing detaches the filter; the clsact
 * qdisc stays, because other users' filters may hang on it and an empty one costs nothing.
 */
final class TcLink extends OwnedLink {
    /** {@code enum bpf_tc_attach_point} in {@code /usr/include/bpf/libbpf.h}. */
    static final int BPF_TC_INGRESS = 1;
    static final int BPF_TC_EGRESS = 2;

    private static final StructLayout HOOK = NativeLayouts.TC_HOOK;
    private static final StructLayout OPTS = NativeLayouts.TC_OPTS;
    private static final long HOOK_IFINDEX = NativeLayouts.offset(HOOK, "ifindex");
    private static final long HOOK_ATTACH_POINT = NativeLayouts.offset(HOOK, "attach_point");
    private static final long OPTS_PROG_FD = NativeLayouts.offset(OPTS, "prog_fd");
    private static final long OPTS_HANDLE = NativeLayouts.offset(OPTS, "handle");
    private static final long OPTS_PRIORITY = NativeLayouts.offset(OPTS, "priority");

    private final int ifindex;
    private final int attachPoint;
    private final int handle;
    private final int priority;

    private TcLink(int ifindex, int attachPoint, int handle, int priority, BpfObject owner, String description) {
        super(owner, description);
        this.ifindex = ifindex;
        this.attachPoint = attachPoint;
        this.handle = handle;
        this.priority = priority;
    }

    /** Creates the clsact hook if missing and attaches {@code progFd} at {@code attachPoint}. */
    static TcLink attach(int ifindex, int attachPoint, int progFd, BpfObject owner, String description)
            throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hook = hook(arena, ifindex, attachPoint);
            // An existing clsact qdisc is fine: libbpf warns about it, so its lines are withheld.
            var created = LibbpfLog.captureQuietly(() -> LibbpfCalls.tcHookCreate(hook));
            int rc = created.result();
            if (rc < 0 && rc != -Errno.EEXIST) {
                created.forward();
                throw new BpfException("cannot create clsact hook for " + description + ": " + Errno.describe(rc)
                        + created.joined(), Errno.normalize(rc));
            }
            MemorySegment opts = arena.allocate(OPTS);
            opts.set(JAVA_LONG, 0, OPTS.byteSize());
            opts.set(JAVA_INT, OPTS_PROG_FD, progFd);
            var attached = LibbpfLog.capture(() -> LibbpfCalls.tcAttach(hook, opts));
            rc = attached.result();
            if (rc < 0) {
                throw new BpfException("cannot attach tc filter " + description + ": " + Errno.describe(rc)
                        + attached.joined(), Errno.normalize(rc));
            }
            return new TcLink(ifindex, attachPoint, opts.get(JAVA_INT, OPTS_HANDLE), opts.get(JAVA_INT, OPTS_PRIORITY),
                    owner, description);
        }
    }

    @Override
    void release() {
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
