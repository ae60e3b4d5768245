package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import java.lang.foreign.MemorySegment;

/** A libbpf {@code struct bpf_link} (tracepoints, XDP, cgroups, uprobes ...), destroyed with {@code bpf_link__destroy}. */
final class LibbpfLink extends OwnedLink {
    private final MemorySegment handle;

    LibbpfLink(MemorySegment handle, BpfObject owner, String description) {
        super(owner, description);
        this.handle = handle;
    }

    @Override
    void release() {
        LibbpfCalls.linkDestroy(handle);
    }
}
