package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/** A libbpf {@code struct bpf_link} (tracepoints, XDP, cgroups, uprobes ...), destroyed with {@code bpf_link__destroy}. */
final class LibbpfLink implements BpfLink {
    private final MemorySegment handle;
    private final BpfObject owner;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    LibbpfLink(MemorySegment handle, BpfObject owner, String description) {
        this.handle = handle;
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
            LibbpfCalls.linkDestroy(handle);
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + "]";
    }
}
