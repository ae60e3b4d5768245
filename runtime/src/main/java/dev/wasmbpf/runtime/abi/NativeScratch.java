package dev.wasmbpf.runtime.abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reusable native buffers for map operations (key, value, next key), so that the hot path allocates no
 * native memory per call. Owned by one module instance; closing it frees them all.
 */
final class NativeScratch implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] slots = new MemorySegment[3];

    static final int KEY = 0;
    static final int VALUE = 1;
    static final int NEXT_KEY = 2;

    /** A segment of exactly {@code size} bytes in the given slot, reusing the slot's memory when it fits. */
    MemorySegment slot(int slot, int size) {
        MemorySegment current = slots[slot];
        if (current == null || current.byteSize() < size) {
            current = arena.allocate(Math.max(size, 64), 8);
            slots[slot] = current;
        }
        return current.asSlice(0, size);
    }

    @Override
    public void close() {
        arena.close();
    }
}
