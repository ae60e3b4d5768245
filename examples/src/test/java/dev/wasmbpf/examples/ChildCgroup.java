package dev.wasmbpf.examples;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A fresh child of the cgroup v2 hierarchy (found at run time from /proc/self/mountinfo), for tests that
 * attach cgroup programs and need traffic from a process that lives in it. Closing removes the directory,
 * which the kernel allows once its processes have exited.
 */
final class ChildCgroup implements AutoCloseable {
    private final Path root;
    private final Path path;

    private ChildCgroup(Path root, Path path) {
        this.root = root;
        this.path = path;
    }

    /** Creates {@code <cgroup2 mount>/wasmbpf-<name>-<pid>-<nanos>}; skips (or fails) without cgroup v2. */
    static ChildCgroup create(String name) throws IOException {
        Optional<Path> root = KernelTestSupport.cgroup2Root();
        KernelTestSupport.requireFeature("a mounted cgroup v2 hierarchy", root.isPresent());
        Path path = Files.createDirectory(root.get()
                .resolve("wasmbpf-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        return new ChildCgroup(root.get(), path);
    }

    /** The cgroup2 mount point: what a run is granted with {@code allowAttach}. */
    Path root() {
        return root;
    }

    Path path() {
        return path;
    }

    /**
     * Starts bash running {@code script} inside this cgroup with {@code args} as $1...: bash moves itself
     * in first (exit 3 if it cannot), so every socket the script opens belongs to the cgroup. bash, for
     * its /dev/udp and /dev/tcp redirections. Output and errors are merged.
     */
    Process startInside(String script, String... args) throws IOException {
        Optional<Path> bash = Stream.of("/bin/bash", "/usr/bin/bash")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        KernelTestSupport.requireFeature("bash (traffic generator)", bash.isPresent());
        List<String> command = new ArrayList<>(List.of(
                bash.get().toString(),
                "-c",
                "echo $$ > \"$0\" || exit 3\n" + script,
                path.resolve("cgroup.procs").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** A cgroup whose last process just exited can be briefly busy: retry the rmdir. */
    @Override
    public void close() {
        KernelTestSupport.awaitCondition("removal of " + path, () -> {
            try {
                Files.deleteIfExists(path);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
