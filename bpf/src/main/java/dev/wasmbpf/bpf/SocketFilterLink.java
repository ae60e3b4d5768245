package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibcCalls;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket filter attached with {@code SO_ATTACH_BPF} to a raw packet socket that this link owns:
 * closing the socket detaches the filter.
 */
final class SocketFilterLink implements BpfLink {
    private final int socketFd;
    private final BpfObject owner;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketFilterLink(int socketFd, BpfObject owner, String description) {
        this.socketFd = socketFd;
        this.owner = owner;
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            owner.forget(this);
            LibcCalls.close(socketFd);
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + "]";
    }
}
