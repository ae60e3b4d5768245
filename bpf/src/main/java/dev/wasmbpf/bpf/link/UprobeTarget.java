package dev.wasmbpf.bpf.link;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a uprobe attaches: {@code function} in the ELF file {@code binary}, on entry or, for a uretprobe, on return.
 * {@link Uprobe#attach} refuses an empty function name with EINVAL.
 */
public record UprobeTarget(Path binary, String function, boolean retprobe) {
    public UprobeTarget {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(function, "function");
    }

    public static UprobeTarget entry(Path binary, String function) {
        return new UprobeTarget(binary, function, false);
    }

    public static UprobeTarget exit(Path binary, String function) {
        return new UprobeTarget(binary, function, true);
    }

    @Override
    public String toString() {
        return (retprobe ? "uretprobe " : "uprobe ") + binary + ":" + function;
    }
}
