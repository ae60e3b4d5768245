package dev.wasmbpf.bpf;

/**
 * A libbpf or bpf() operation failed. {@link #errno()} is the positive Linux errno that caused it,
 * so callers can hand {@code -errno()} to a guest unchanged.
 */
public class BpfException extends Exception {
    private final int errno;

    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The positive Linux errno, e.g. 2 for ENOENT. */
    public int errno() {
        return errno;
    }
}
