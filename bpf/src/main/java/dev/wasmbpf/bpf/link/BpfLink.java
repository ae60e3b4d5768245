package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfObject;

/**
 * An attachment of a program to a hook, made by one of this package's attach kinds ({@link AutoAttach},
 * {@link Uprobe}, {@link Cgroup}, {@link Xdp}, {@link Tc}, {@link SocketFilter}). Closing it detaches the program;
 * closing it again does nothing. Links are also owned by the {@link BpfObject} whose program made them: closing the
 * object closes its remaining links, so a caller may simply drop a link it does not need to detach early.
 */
public sealed interface BpfLink extends AutoCloseable permits OwnedLink {
    /** What the link attaches, for logs: e.g. {@code "handle_exec -> tp/sched/sched_process_exec"}. */
    String description();

    @Override
    void close();
}
