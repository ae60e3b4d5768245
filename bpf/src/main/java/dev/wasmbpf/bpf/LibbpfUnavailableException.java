package dev.wasmbpf.bpf;

/**
 * Thrown when {@code libbpf.so.1} (or one of the symbols this binding needs) cannot be found.
 * Unchecked: without libbpf nothing in this package can work, and callers cannot recover.
 */
public final class LibbpfUnavailableException extends RuntimeException {
    public LibbpfUnavailableException(String message) {
        super(message);
    }

    public LibbpfUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
