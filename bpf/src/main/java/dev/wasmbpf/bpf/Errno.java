package dev.wasmbpf.bpf;

/**
 * Linux errno values (x86_64, from {@code include/uapi/asm-generic/errno-base.h} and
 * {@code errno.h}) that this binding produces or documents, and their symbolic names for messages.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRNOTAVAIL = 99;
    /** Kernel-internal ENOTSUPP that bpf() leaks to user space. */
    public static final int ENOTSUPP = 524;

    private Errno() {}

    /** First of libbpf's private codes ({@code enum libbpf_errno}, LIBBPF_ERRNO__LIBELF = 4000). */
    public static final int LIBBPF_ERRNO_BASE = 4000;

    /**
     * A Linux errno for {@code errno}: libbpf's private codes (4000 and up, e.g.
     * LIBBPF_ERRNO__FORMAT for a malformed ELF) become EINVAL, since callers hand errnos to guests.
     */
    public static int normalize(int errno) {
        int e = Math.abs(errno);
        return e >= LIBBPF_ERRNO_BASE || e == 0 ? EINVAL : e;
    }

    /** "ENOENT (2)" style text for a positive or negative errno. */
    public static String describe(int errno) {
        int e = Math.abs(errno);
        String name = switch (e) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case E2BIG -> "E2BIG";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case ENOTDIR -> "ENOTDIR";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case ERANGE -> "ERANGE";
            case ENOSYS -> "ENOSYS";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENOTSUPP -> "ENOTSUPP";
            default -> e >= LIBBPF_ERRNO_BASE && e < LIBBPF_ERRNO_BASE + 100 ? "LIBBPF_ERRNO" : "errno";
        };
        return name + " (" + e + ")";
    }
}
