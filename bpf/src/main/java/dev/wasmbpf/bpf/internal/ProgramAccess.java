package dev.wasmbpf.bpf.internal;

import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.link.BpfLink;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What {@code dev.wasmbpf.bpf.link} needs of a {@link BpfProgram} that is not API: libbpf's {@code struct
 * bpf_program *} and the owning object's link registry. {@code BpfProgram} registers the bridge from its class
 * initialiser (the JDK's "shared secrets" pattern), so the handle and the registry never become public methods.
 */
public final class ProgramAccess {
    /** Implemented by {@code BpfProgram}. */
    public interface Bridge {
        /** libbpf's program handle; IllegalStateException once the object is closed. */
        MemorySegment handle(BpfProgram program);

        /** Hands {@code link} to the program's object, or closes it and throws IllegalStateException if closed. */
        <L extends BpfLink> L adopt(BpfProgram program, L link);

        /** The object no longer closes {@code link} (it was closed on its own). */
        void forget(BpfProgram program, BpfLink link);
    }

    private static volatile Bridge bridge;

    private ProgramAccess() {}

    /** Called once, by {@code BpfProgram}'s class initialiser. */
    public static void register(Bridge implementation) {
        Objects.requireNonNull(implementation, "implementation");
        synchronized (ProgramAccess.class) {
            if (bridge != null) {
                throw new IllegalStateException("the BpfProgram bridge is already registered");
            }
            bridge = implementation;
        }
    }

    public static Bridge bridge() {
        Bridge current = bridge;
        if (current == null) {
            // Whoever holds a BpfProgram has initialised its class; this covers a caller that does not.
            try {
                Class.forName(BpfProgram.class.getName(), true, BpfProgram.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            current = bridge;
        }
        return current;
    }
}
