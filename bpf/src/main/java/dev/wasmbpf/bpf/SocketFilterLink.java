package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibcCalls;

/**
 * A socket filter attached with {@code SO_ATTACH_BPF} to a raw packet socket that this link owns:
 * closing the socket detaches the filter.
 */
final class SocketFilterLink extends OwnedLink {
    private final int socketFd;

    SocketFilterLink(int socketFd, BpfObject owner, String description) {
        super(owner, description);
        this.socketFd = socketFd;
    }

    @Override
    void release() {
        LibcCalls.close(socketFd);
    }
}
