package dev.wasmbpf.bpf.link;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Objects;

/**
 * Attaches a uprobe or uretprobe to a function of an ELF binary, for every process
 * ({@code bpf_program__attach_uprobe_opts}, pid -1; libbpf resolves the function's offset from the binary's symbol
 * table). Uprobes need a kernel built with {@code CONFIG_UPROBE_EVENTS}.
 */
public final class Uprobe {
    private Uprobe() {}

    /** EINVAL for an empty function name; libbpf's error (ENOENT for a missing function) from the attach. */
    public static BpfLink attach(BpfProgram program, UprobeTarget target) throws BpfException {
        Objects.requireNonNull(target, "target");
        if (target.function().isEmpty() || target.function().indexOf('\0') >= 0) {
            throw new BpfException("uprobe function name must be non-empty: '" + target.function() + "'", Errno.EINVAL);
        }
        try (Arena arena = Arena.ofConfined()) {
            StructLayout layout = NativeLayouts.UPROBE_OPTS;
            MemorySegment opts = arena.allocate(layout);
            opts.set(JAVA_LONG, NativeLayouts.offset(layout, "sz"), layout.byteSize());
            opts.set(JAVA_BOOLEAN, NativeLayouts.offset(layout, "retprobe"), target.retprobe());
            opts.set(ADDRESS, NativeLayouts.offset(layout, "func_name"), arena.allocateFrom(target.function()));
            MemorySegment path = arena.allocateFrom(target.binary().toString());
            return Attachment.libbpf(
                    program,
                    " to " + target,
                    (state, handle) -> LibbpfCalls.programAttachUprobeOpts(state, handle, -1, path, 0L, opts));
        }
    }
}
