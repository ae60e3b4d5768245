package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.ProgramAccess;
import dev.wasmbpf.bpf.link.AutoAttach;
import dev.wasmbpf.bpf.link.BpfLink;
import dev.wasmbpf.bpf.link.Cgroup;
import dev.wasmbpf.bpf.link.SocketFilter;
import dev.wasmbpf.bpf.link.Tc;
import dev.wasmbpf.bpf.link.Uprobe;
import dev.wasmbpf.bpf.link.UprobeTarget;
import dev.wasmbpf.bpf.link.Xdp;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A program of a {@link BpfObject}. The attach kinds live in {@code dev.wasmbpf.bpf.link}, one class each; the
 * {@code attach*} methods here are shortcuts to them. Every link is owned by the object as well: closing the object
 * detaches it.
 */
public final class BpfProgram {
    static {
        // dev.wasmbpf.bpf.link reaches the handle and the object's links through this, not through public methods.
        ProgramAccess.register(new ProgramAccess.Bridge() {
            @Override
            public MemorySegment handle(BpfProgram program) {
                program.owner.ensureOpen();
                return program.handle;
            }

            @Override
            public <L extends BpfLink> L adopt(BpfProgram program, L link) {
                return program.owner.adopt(link);
            }

            @Override
            public void forget(BpfProgram program, BpfLink link) {
                program.owner.forget(link);
            }
        });
    }

    private final BpfObject owner;
    private final MemorySegment handle;
    private final String name;
    private final String sectionName;

    BpfProgram(BpfObject owner, MemorySegment handle) {
        this.owner = owner;
        this.handle = handle;
        this.name = LibbpfCalls.programName(handle).reinterpret(Long.MAX_VALUE).getString(0);
        this.sectionName = LibbpfCalls.programSectionName(handle)
                .reinterpret(Long.MAX_VALUE)
                .getString(0);
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

    /** {@link AutoAttach}: as the section name says ({@code tp/}, {@code raw_tp/}, {@code uprobe/<path>:<func>} ...). */
    public BpfLink attach() throws BpfException {
        return AutoAttach.attach(this);
    }

    /** {@link Cgroup}: to the cgroup v2 directory {@code cgroupDir}. */
    public BpfLink attachCgroup(Path cgroupDir) throws BpfException {
        return Cgroup.attach(this, cgroupDir);
    }

    /** {@link Xdp}: to interface {@code ifname}. */
    public BpfLink attachXdp(String ifname) throws BpfException {
        return Xdp.attach(this, ifname);
    }

    /** {@link Tc}: on the clsact hook of {@code ifname}, ingress or egress as the section says. */
    public BpfLink attachTc(String ifname) throws BpfException {
        return Tc.attach(this, ifname);
    }

    /** {@link SocketFilter}: on a new packet socket bound to {@code ifname}. */
    public BpfLink attachSocketFilter(String ifname) throws BpfException {
        return SocketFilter.attach(this, ifname);
    }

    /** {@link Uprobe}: to {@code target}'s function in its binary, for every process. */
    public BpfLink attachUprobe(UprobeTarget target) throws BpfException {
        return Uprobe.attach(this, target);
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + ", " + sectionName + "]";
    }
}
