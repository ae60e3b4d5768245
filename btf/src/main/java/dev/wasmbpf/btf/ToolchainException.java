package dev.wasmbpf.btf;

/**
 * Base of the checked exceptions of the toolchain: every malformed input ends in one of these,
 * never in an unchecked exception, so callers (the CLI, tests) can branch on the type.
 */
public class ToolchainException extends Exception {
    public ToolchainException(String message) {
        super(message);
    }

    public ToolchainException(String message, Throwable cause) {
        super(message, cause);
    }
}
