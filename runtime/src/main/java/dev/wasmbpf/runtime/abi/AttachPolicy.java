package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which host paths a guest may name as attach targets. A target is resolved to its real path (following
 * every symlink and {@code ..}) before it is compared, so neither can lead out of an allowed tree.
 *
 * @param cgroupRoots trees whose cgroup directories programs may attach to
 * @param binaryRoots trees whose binaries uprobes may attach to
 */
public record AttachPolicy(List<Path> cgroupRoots, List<Path> binaryRoots) {
    /** Where cgroup filesystems live on Linux: the default for cgroup targets. */
    public static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");

    public AttachPolicy {
        cgroupRoots = List.copyOf(cgroupRoots);
        binaryRoots = List.copyOf(binaryRoots);
    }

    /**
     * The policy for a module: the user's {@code --allow-attach} paths when given, else {@code /sys/fs/cgroup}
     * for cgroups; binaries only under those paths or the module's own preopened directories.
     */
    public static AttachPolicy of(List<Path> allowAttach, List<Path> preopenedDirectories) {
        List<Path> cgroups = allowAttach.isEmpty() ? List.of(CGROUP_FS) : allowAttach;
        List<Path> binaries = new ArrayList<>(allowAttach);
        binaries.addAll(preopenedDirectories);
        return new AttachPolicy(cgroups, binaries);
    }

    /** The real path of a cgroup target, or an errno (ENOENT, EACCES) as a negative number. */
    Resolution resolveCgroup(String target) {
        return resolveUnder(target, cgroupRoots);
    }

    Resolution resolveBinary(String target) {
        return resolveUnder(target, binaryRoots);
    }

    private static Resolution resolveUnder(String target, List<Path> roots) {
        Path real;
        try {
            real = Path.of(target).toRealPath();
        } catch (IOException | RuntimeException e) {
            return new Resolution(null, -Errno.ENOENT);
        }
        for (Path root : roots) {
            try {
                if (Files.exists(root) && real.startsWith(root.toRealPath())) {
                    return new Resolution(real, 0);
                }
            } catch (IOException e) {
                // an unreadable root grants nothing
            }
        }
        return new Resolution(null, -Errno.EACCES);
    }

    /** A resolved path, or the negative errno that refused it. */
    record Resolution(Path path, int error) {
        boolean allowed() {
            return error == 0;
        }
    }
}
