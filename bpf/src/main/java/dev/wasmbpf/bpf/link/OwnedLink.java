package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.internal.ProgramAccess;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one link base every attach kind returns: the object that owns it (and closes it with itself), a description
 * for logs, and closing exactly once. What differs between kinds is only the kernel attachment and how it is
 * released — a libbpf {@code struct bpf_link} destroyed, a packet socket closed, a tc filter detached — which the
 * kind passes in as a {@link Release}.
 */
final class OwnedLink implements BpfLink {
    /** Undoes one kernel attachment. Runs once, from the first {@link #close()}. */
    @FunctionalInterface
    interface Release {
        void release();
    }

    private final BpfProgram program;
    private final String description;
    private final Release release;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OwnedLink(BpfProgram program, String description, Release release) {
        this.program = program;
        this.description = description;
        this.release = release;
    }

    /**
     * Wraps a kernel attachment that {@code program} just made and hands it to the program's object, which closes it
     * with itself; an attachment made while the object was closing is released at once (IllegalStateException).
     */
    static BpfLink adopt(BpfProgram program, String description, Release release) {
        return ProgramAccess.bridge().adopt(program, new OwnedLink(program, description, release));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ProgramAccess.bridge().forget(program, this);
            release.release();
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + "]";
    }
}
