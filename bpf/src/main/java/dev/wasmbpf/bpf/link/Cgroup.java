package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibcCalls;
import dev.wasmbpf.bpf.internal.ProgramAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Attaches a cgroup program (cgroup_skb, cgroup_sock, sockops, cgroup/connect4 …) to a cgroup v2 directory with a
 * BPF link ({@code bpf_program__attach_cgroup}, Linux 5.7). The link holds its own reference to the cgroup.
 */
public final class Cgroup {
    private Cgroup() {}

    /** ENOENT/ENOTDIR/EACCES from opening {@code cgroupDir}, or libbpf's error from the attach. */
    public static BpfLink attach(BpfProgram program, Path cgroupDir) throws BpfException {
        Objects.requireNonNull(cgroupDir, "cgroupDir");
        ProgramAccess.bridge().handle(program);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            int fd = LibcCalls.open(
                    state,
                    arena.allocateFrom(cgroupDir.toString()),
                    LibcCalls.O_RDONLY | LibcCalls.O_DIRECTORY | LibcCalls.O_CLOEXEC);
            if (fd < 0) {
                int errno = CallState.errno(state);
                throw new BpfException(
                        "cannot open cgroup directory " + cgroupDir + " for program '" + program.name() + "': "
                                + Errno.describe(errno),
                        errno);
            }
            try {
                // The link keeps its own reference to the cgroup; our fd only serves the attach.
                return Attachment.libbpf(
                        program,
                        " to cgroup " + cgroupDir,
                        (s, handle) -> LibbpfCalls.programAttachCgroup(s, handle, fd));
            } finally {
                LibcCalls.close(fd);
            }
        }
    }
}
