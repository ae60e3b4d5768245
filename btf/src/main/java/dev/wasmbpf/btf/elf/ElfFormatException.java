package dev.wasmbpf.btf.elf;

import dev.wasmbpf.btf.ToolchainException;

/** An ELF file that is not a well-formed ELF64 object; the message names the file offset. */
public final class ElfFormatException extends ToolchainException {
    private final long offset;

    public ElfFormatException(long offset, String message) {
        super("ELF offset " + offset + ": " + message);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
