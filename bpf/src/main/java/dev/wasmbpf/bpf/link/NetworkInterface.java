package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.ProgramType;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibcCalls;
import dev.wasmbpf.bpf.internal.ProgramAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** The interface index XDP, tc and socket filters attach to, looked up by name ({@code if_nametoindex}). */
final class NetworkInterface {
    /** {@code IFNAMSIZ} in {@code linux/if.h}, the terminating NUL included. */
    private static final int IFNAMSIZ = 16;

    private NetworkInterface() {}

    /**
     * The index of {@code ifname}; ENODEV for a name that cannot be an interface or is not one, and
     * IllegalStateException (before the name is looked at) when {@code program}'s object is closed.
     */
    static int index(BpfProgram program, String ifname) throws BpfException {
        Objects.requireNonNull(ifname, "ifname");
        ProgramAccess.bridge().handle(program);
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

    /**
     * {@link #index} for a program that must be of type {@code expected} to attach to {@code hook}: ENODEV for the
     * interface first, then EINVAL for the type.
     */
    static int indexFor(BpfProgram program, String ifname, ProgramType expected, String hook) throws BpfException {
        int index = index(program, ifname);
        Attachment.requireType(program, expected, hook);
        return index;
    }
}
