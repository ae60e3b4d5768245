package dev.wasmbpf.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory the guest sees under {@code guestPath} (WASI preopen).
 *
 * @param hostPath the directory on the host (must exist when the {@link RunConfig} is built)
 * @param guestPath where the guest sees it, e.g. {@code /data}
 */
public record Preopen(Path hostPath, String guestPath) {
    /** Checks both paths are given. */
    public Preopen {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(guestPath, "guestPath");
    }

    /**
     * Parses the CLI form {@code HOST[::GUEST]}; without GUEST the guest sees the host path.
     *
     * @param spec the option's value
     * @return the preopen
     */
    public static Preopen parse(String spec) {
        int separator = spec.indexOf("::");
        if (separator < 0) {
            return new Preopen(Path.of(spec), spec);
        }
        return new Preopen(Path.of(spec.substring(0, separator)), spec.substring(separator + 2));
    }
}
