package dev.wasmbpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.LibcCalls;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * A program of a {@link BpfObject}. Every {@code attach*} method returns a {@link BpfLink} that
 * the object owns as well: closing the object detaches it.
 */
public final class BpfProgram {
    private static final int IFNAMSIZ = 16;

    private final BpfObject owner;
    private final MemorySegment handle;
    private final String name;
    private final String sectionName;

    BpfProgram(BpfObject owner, MemorySegment handle) {
        this.owner = owner;
        this.handle = handle;
        this.name = LibbpfCalls.programName(handle).reinterpret(Long.MAX_VALUE).getString(0);
        this.sectionName = LibbpfCalls.programSectionName(handle).reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** The C function name. */
    public String name() {
        return name;
    }

    /** The ELF section, e.g. {@code "tp/sched/sched_process_exec"}; it drives auto-attach. */
    public String sectionName() {
        return sectionName;
    }

    public ProgramType type() {
        owner.ensureOpen();
        return ProgramType.of(LibbpfCalls.programType(handle));
    }

    /** The program fd once loaded, else a negative errno. */
    public int fd() {
        owner.ensureOpen();
        return LibbpfCalls.programFd(handle);
    }

    /** The kernel's id of the loaded program ({@code bpf_prog_info.id}), else a negative errno. */
    public int id() {
        int fd = fd();
        return fd < 0 ? fd : KernelObjects.idOf(fd);
    }

    /**
     * Attaches as the section name says ({@code bpf_program__attach}): {@code tp/}, {@code raw_tp/},
     * {@code tp_btf/}, {@code fentry/}, {@code kprobe/}, {@code uprobe/<path>:<func>} ...
     */
    public BpfLink attach() throws BpfException {
        return libbpfLink("", s -> LibbpfCalls.programAttach(s, handle));
    }

    /**
     * Attaches a cgroup program (cgroup_skb, cgroup_sock, sockops ...) to the cgroup v2 directory
     * {@code cgroupDir} with a BPF link ({@code bpf_program__attach_cgroup}).
     */
    public BpfLink attachCgroup(Path cgroupDir) throws BpfException {
        Objects.requireNonNull(cgroupDir, "cgroupDir");
        owner.ensureOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            int fd = LibcCalls.open(state, arena.allocateFrom(cgroupDir.toString()),
                    LibcCalls.O_RDONLY | LibcCalls.O_DIRECTORY | LibcCalls.O_CLOEXEC);
            if (fd < 0) {
                int errno = CallState.errno(state);
                throw new BpfException("cannot open cgroup directory " + cgroupDir + " for program '" + name + "': "
                        + Errno.describe(errno), errno);
            }
            try {
                // The link keeps its own reference to the cgroup; our fd only serves the attach.
                return libbpfLink(" to cgroup " + cgroupDir, s -> LibbpfCalls.programAttachCgroup(s, handle, fd));
            } finally {
                LibcCalls.close(fd);
            }
        }
    }

    /** Attaches an XDP program to interface {@code ifname} with a BPF link; ENODEV for an unknown interface. */
    public BpfLink attachXdp(String ifname) throws BpfException {
        int ifindex = interfaceIndex(ifname);
        return libbpfLink(" to XDP of " + ifname, s -> LibbpfCalls.programAttachXdp(s, handle, ifindex));
    }

    /**
     * Attaches a {@code SEC("tc")} program as a direct-action filter on the clsact hook of
     * {@code ifname}, creating the hook if needed; ingress unless the section name says
     * {@code tc/egress} or {@code tcx/egress} ({@link SectionTable}).
     */
    public BpfLink attachTc(String ifname) throws BpfException {
        int ifindex = interfaceIndex(ifname);
        requireType(ProgramType.SCHED_CLS, "tc");
        boolean egress = SectionTable.attachTarget(sectionName) == SectionTable.AttachTarget.TC_EGRESS;
        String description = name + " -> tc " + (egress ? "egress" : "ingress") + " of " + ifname;
        int fd = loadedFd();
        return owner.adopt(TcLink.attach(ifindex, egress ? TcLink.BPF_TC_EGRESS : TcLink.BPF_TC_INGRESS, fd, owner,
                description));
    }

    /**
     * Attaches a socket filter to a new raw packet socket ({@code AF_PACKET}, {@code SOCK_RAW},
     * all protocols) bound to {@code ifname}, with {@code SO_ATTACH_BPF}. The filter sees every
     * packet of the interface; the link owns the socket, and closing it detaches the filter.
     */
    public BpfLink attachSocketFilter(String ifname) throws BpfException {
        int ifindex = interfaceIndex(ifname);
        requireType(ProgramType.SOCKET_FILTER, "a socket");
        int progFd = loadedFd();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            int protocol = Short.toUnsignedInt(Short.reverseBytes((short) LibcCalls.ETH_P_ALL));
            int sock = LibcCalls.socket(state, LibcCalls.AF_PACKET, LibcCalls.SOCK_RAW | LibcCalls.SOCK_CLOEXEC,
                    protocol);
            if (sock < 0) {
                int errno = CallState.errno(state);
                throw new BpfException("cannot open a packet socket for program '" + name + "': "
                        + Errno.describe(errno), errno);
            }
            try {
                MemorySegment address = arena.allocate(NativeLayouts.SOCKADDR_LL);
                address.set(JAVA_SHORT, 0, (short) LibcCalls.AF_PACKET);
                address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) LibcCalls.ETH_P_ALL);
                address.set(JAVA_INT, 4, ifindex);
                if (LibcCalls.bind(state, sock, address, (int) NativeLayouts.SOCKADDR_LL.byteSize()) < 0) {
                    int errno = CallState.errno(state);
                    throw new BpfException("cannot bind a packet socket to " + ifname + ": " + Errno.describe(errno),
                            errno);
                }
                MemorySegment fdValue = arena.allocateFrom(JAVA_INT, progFd);
                if (LibcCalls.setsockopt(state, sock, LibcCalls.SOL_SOCKET, LibcCalls.SO_ATTACH_BPF, fdValue, 4) < 0) {
                    int errno = CallState.errno(state);
                    throw new BpfException("cannot attach socket filter '" + name + "' to " + ifname + ": "
                            + Errno.describe(errno), errno);
                }
            } catch (BpfException | RuntimeException e) {
                LibcCalls.close(sock);
                throw e;
            }
            return owner.adopt(new SocketFilterLink(sock, owner, name + " -> socket filter on " + ifname));
        }
    }

    /**
     * Attaches a uprobe or uretprobe to {@code target}'s function in its binary, for every process
     * ({@code bpf_program__attach_uprobe_opts}, pid -1).
     */
    public BpfLink attachUprobe(UprobeTarget target) throws BpfException {
        Objects.requireNonNull(target, "target");
        if (target.function().isEmpty() || target.function().indexOf('\0') >= 0) {
            throw new BpfException("uprobe function name must be non-empty: '" + target.function() + "'", Errno.EINVAL);
        }
        try (Arena arena = Arena.ofConfined()) {
            StructLayout layout = NativeLayouts.UPROBE_OPTS;
            MemorySegment opts = arena.allocate(layout);
            opts.set(JAVA_LONG, NativeLayouts.offset(layout, "sz"), layout.byteSize());
            opts.set(JAVA_BOOLEAN, NativeLayouts.offset(layout, "retprobe"), target.retprobe());
            opts.set(ADDRESS, NativeLayouts.offset(layout, "func_name"), arena.allocateFrom(target.function()));
            MemorySegment path = arena.allocateFrom(target.binary().toString());
            return libbpfLink(" to " + target, s -> LibbpfCalls.programAttachUprobeOpts(s, handle, -1, path, 0L, opts));
        }
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + ", " + sectionName + "]";
    }

    private BpfLink libbpfLink(String target, Function<MemorySegment, MemorySegment> attachCall)
            throws BpfException {
        owner.ensureOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            var attached = LibbpfLog.capture(() -> attachCall.apply(state));
            String description = name + " -> " + sectionName + target;
            if (attached.result().equals(MemorySegment.NULL)) {
                int errno = CallState.errno(state);
                throw new BpfException("cannot attach program " + description + ": " + Errno.describe(errno)
                        + attached.joined(), errno);
            }
            return owner.adopt(new LibbpfLink(attached.result(), owner, description));
        }
    }

    private int loadedFd() throws BpfException {
        int fd = fd();
        if (fd < 0) {
            throw new BpfException("program '" + name + "' is not loaded", Errno.EBADF);
        }
        return fd;
    }

    private void requireType(ProgramType expected, String hook) throws BpfException {
        ProgramType actual = type();
        if (actual != expected) {
            throw new BpfException("program '" + name + "' (section '" + sectionName + "') is a " + actual
                    + " program, not " + expected + ": it cannot attach to " + hook, Errno.EINVAL);
        }
    }

    private int interfaceIndex(String ifname) throws BpfException {
        Objects.requireNonNull(ifname, "ifname");
        owner.ensureOpen();
        if (ifname.isEmpty() || ifname.length() >= IFNAMSIZ || ifname.indexOf('\0') >= 0 || ifname.indexOf('/') >= 0) {
            throw new BpfException("no network interface named '" + ifname + "'", Errno.ENODEV);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            int index = LibcCalls.ifNameToIndex(state, arena.allocateFrom(ifname));
            if (index == 0) {
                throw new BpfException("no network interface named '" + ifname + "'", Errno.ENODEV);
            }
            return index;
        }
    }
}
