package dev.wasmbpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The errno captured right after a downcall. libbpf's pointer-returning functions return NULL and
 * leave the reason in errno, which the JVM may clobber before Java code could read it.
 */
public final class CallState {
    static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();

    private CallState() {}

    /** A capture buffer for one call, owned by the caller's arena. */
    public static MemorySegment allocate(Arena arena) {
        return arena.allocate(LAYOUT);
    }

    /** The positive Linux errno captured in {@code state}; EINVAL when unset or libbpf-private. */
    public static int errno(MemorySegment state) {
        int errno = (int) ERRNO.get(state, 0L);
        return dev.wasmbpf.bpf.Errno.normalize(errno);
    }
}
