package dev.wasmbpf.runtime.reliability;

import java.util.Arrays;
import java.util.List;

/**
 * One generated call: the import, its raw arguments (as the guest would pass them), and the bytes to place
 * in guest memory first (names, ELF images, WASI structures) so that some pointers point at sense.
 * {@code lengthBeyondRoom}: some (pointer, length) pair runs past the end of memory, so it also spans a guard
 * region; the host must refuse such a range, but a trap may come after part of it was written.
 */
record FuzzCall(FuzzOp op, long[] args, List<Write> writes, boolean lengthBeyondRoom) {
    record Write(long address, byte[] bytes) {}

    @Override
    public String toString() {
        return op
                + Arrays.toString(Arrays.stream(args)
                        .mapToObj(a -> "0x" + Long.toHexString(a))
                        .toArray());
    }
}
