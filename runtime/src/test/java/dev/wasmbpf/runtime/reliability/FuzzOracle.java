package dev.wasmbpf.runtime.reliability;

/**
 * What any answer to a hostile call must look like: a handle or 0 from a load, 0/a count/an fd or a negative
 * Linux errno from the other {@code wasm_bpf} functions, a WASI errno (0..76) from WASI. Where the ABI spec
 * fixes the error (unknown handle, foreign fd, unknown command, key outside memory) it must be that one.
 */
final class FuzzOracle {
    private static final int EBADF = 9;
    private static final int EFAULT = 14;
    private static final int EINVAL = 22;
    private static final int MAX_WASI_ERRNO = 76;

    private FuzzOracle() {}

    /** Null when {@code result} is acceptable for {@code call}, else why not. {@code world} is as before the call. */
    static String violation(FuzzCall call, long result, FuzzWorld world, long memorySize) {
        long[] a = call.args();
        if (!call.op().abi) {
            return result >= 0 && result <= MAX_WASI_ERRNO ? null : "not a WASI errno: " + result;
        }
        if (call.op() == FuzzOp.LOAD) {
            if (result < 0) {
                return "load returned " + result + " (handles are > 0, failure is 0)";
            }
            return result > 0 && world.isOpenHandle(result) ? "load reused open handle " + result : null;
        }
        if (result < -4095 || result > Integer.MAX_VALUE) {
            return "neither a count nor a negative errno: " + result;
        }
        switch (call.op()) {
            case ATTACH, MAP_FD_BY_NAME, CLOSE -> {
                if (!world.isOpenHandle(a[0]) && result != -EINVAL) {
                    return "unknown handle " + a[0] + " gave " + result + ", not -EINVAL";
                }
            }
            case BUFFER_POLL -> {
                if (!world.isOpenHandle(a[0]) && result != -EINVAL) {
                    return "unknown handle " + a[0] + " gave " + result + ", not -EINVAL";
                }
                if (world.isOpenHandle(a[0])
                        && !world.openHandles.get(a[0]).contains((int) a[1])
                        && !world.isOpenFd(a[1])
                        && result != -EBADF) {
                    return "foreign fd " + (int) a[1] + " gave " + result + ", not -EBADF";
                }
            }
            case MAP_OPERATE -> {
                int fd = (int) a[0];
                int command = (int) a[1];
                if (!world.isOpenFd(fd)) {
                    return result == -EBADF ? null : "map op on foreign fd " + fd + " gave " + result + ", not -EBADF";
                }
                if (command < 1 || command > 4) {
                    return result == -EINVAL
                            ? null
                            : "unknown command " + command + " gave " + result + ", not -EINVAL";
                }
                long key = a[2] & 0xFFFF_FFFFL;
                // One past the end is still a valid empty range for a map with zero-size keys (ring buffers).
                if (key > memorySize && result != -EFAULT) {
                    return "key pointer 0x" + Long.toHexString(key) + " outside memory gave " + result
                            + ", not -EFAULT";
                }
            }
            default -> {}
        }
        return null;
    }
}
