package dev.wasmbpf.runtime.abi;

/**
 * Linux errno values, as the host ABI returns them (negated). Guests built against wasi-libc use other
 * numbers; the guest SDK maps them (see sdk/c/libbpf-wasm.h).
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EOPNOTSUPP = 95;

    private Errno() {}
}
