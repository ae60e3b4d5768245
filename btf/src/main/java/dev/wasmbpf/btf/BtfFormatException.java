package dev.wasmbpf.btf;

/**
 * BTF data that does not follow the format of the kernel's include/uapi/linux/btf.h, or that
 * describes types no C compiler could lay out (cycles, impossible sizes). The message names the
 * byte offset inside the BTF blob (or the type id) and what was expected there.
 */
public final class BtfFormatException extends ToolchainException {
    private final long offset;

    public BtfFormatException(long offset, String message) {
        super(offset >= 0 ? "BTF offset " + offset + ": " + message : "BTF: " + message);
        this.offset = offset;
    }

    /** Byte offset inside the BTF blob where the problem was found, or -1 if not positional. */
    public long offset() {
        return offset;
    }
}
