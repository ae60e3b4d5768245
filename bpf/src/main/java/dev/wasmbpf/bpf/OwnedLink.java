package dev.wasmbpf.bpf;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every kind of link shares: the object that owns it (and closes it with itself), a description for logs, and
 * closing exactly once. A kind only says how its kernel attachment is released.
 */
abstract sealed class OwnedLink implements BpfLink permits LibbpfLink, TcLink, SocketFilterLink {
    private final BpfObject owner;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    OwnedLink(BpfObject owner, String description) {
        this.owner = owner;
        this.description = description;
    }

    /** Detaches: called once, by the first {@link #close()}. */
    abstract void release();

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            owner.forget(this);
            release();
        }
    }

    @Override
    public final String toString() {
        return "BpfLink[" + description + "]";
    }
}
