package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.ToolchainException;

/** Types that are valid BTF but cannot be written in the requested language or layout. */
public final class EmitException extends ToolchainException {
    public EmitException(String message) {
        super(message);
    }
}
