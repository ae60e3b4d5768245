package dev.wasmbpf.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A copy of {@code /bin/true} under a fresh name, in a directory of its own: the exec activity that
 * kernel tests cause and then look for. The name is exactly {@link #COMM_LENGTH} characters, so the
 * task's {@code comm} (which the kernel cuts there) equals the file name.
 */
public record MarkerProgram(String name, Path path) {
    /** TASK_COMM_LEN (16) less the terminating NUL. */
    public static final int COMM_LENGTH = 15;

    /** A new marker whose name starts with {@code prefix} (at most 7 characters, so 8 random hex digits follow). */
    public static MarkerProgram create(String prefix) throws IOException {
        if (prefix.length() > COMM_LENGTH - 8) {
            throw new IllegalArgumentException("marker prefix '" + prefix + "' is longer than " + (COMM_LENGTH - 8));
        }
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return createNamed((prefix + random).substring(0, COMM_LENGTH));
    }

    /** A new marker with exactly this file name (the comm is its first 15 characters). */
    public static MarkerProgram createNamed(String name) throws IOException {
        Path binary = Files.createTempDirectory("wasmbpf-").resolve(name);
        Files.copy(Path.of("/bin/true"), binary);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
        return new MarkerProgram(name, binary);
    }

    /** Creates a marker, execs it once, deletes it, and returns it with the pid it ran as. */
    public static Ran execOnce(String prefix) throws IOException, InterruptedException {
        MarkerProgram marker = create(prefix);
        long pid = marker.run();
        marker.delete();
        return new Ran(marker.name(), pid);
    }

    /** Execs the marker with these arguments, waits for it to exit with status 0, returns its pid. */
    public long run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(path + " exited with " + status);
        }
        return process.pid();
    }

    public void delete() throws IOException {
        Files.delete(path);
        Files.delete(path.getParent());
    }

    /** A marker that has run: its name and the pid it had. */
    public record Ran(String name, long pid) {}
}
