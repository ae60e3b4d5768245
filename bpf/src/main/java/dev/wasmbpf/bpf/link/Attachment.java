package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.ProgramType;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.ProgramAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.BiFunction;

/** What the attach kinds share: a libbpf {@code bpf_program__attach_*} call made into a link, and the checks. */
final class Attachment {
    private Attachment() {}

    /**
     * Runs one libbpf attach call ({@code call(state, program handle)} returns a {@code struct bpf_link *} or NULL
     * with errno in {@code state}) and adopts the link, which {@code bpf_link__destroy} releases. The error names
     * the program, its section and {@code target}, with libbpf's log lines of the call.
     */
    static BpfLink libbpf(
            BpfProgram program, String target, BiFunction<MemorySegment, MemorySegment, MemorySegment> call)
            throws BpfException {
        MemorySegment handle = ProgramAccess.bridge().handle(program);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            var attached = LibbpfLog.capture(() -> call.apply(state, handle));
            String description = program.name() + " -> " + program.sectionName() + target;
            MemorySegment link = attached.result();
            if (link.equals(MemorySegment.NULL)) {
                int errno = CallState.errno(state);
                throw new BpfException(
                        "cannot attach program " + description + ": " + Errno.describe(errno) + attached.joined(),
                        errno);
            }
            return OwnedLink.adopt(program, description, () -> LibbpfCalls.linkDestroy(link));
        }
    }

    /** The program's fd; EBADF when it is not loaded. */
    static int loadedFd(BpfProgram program) throws BpfException {
        int fd = program.fd();
        if (fd < 0) {
            throw new BpfException("program '" + program.name() + "' is not loaded", Errno.EBADF);
        }
        return fd;
    }

    /** EINVAL naming the program, its section and its type when it is not of {@code expected}'s type. */
    static void requireType(BpfProgram program, ProgramType expected, String hook) throws BpfException {
        ProgramType actual = program.type();
        if (actual != expected) {
            throw new BpfException(
                    "program '" + program.name() + "' (section '" + program.sectionName() + "') is a " + actual
                            + " program, not " + expected + ": it cannot attach to " + hook,
                    Errno.EINVAL);
        }
    }
}
