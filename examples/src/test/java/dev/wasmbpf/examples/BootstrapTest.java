package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void reportsExecAndExitOfAMarkerProcessWithItsPid() throws Exception {
        try (ExampleRun run = ExampleRun.start("bootstrap")) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            Marker marker = Marker.exec("bsmark");

            String exec = run.awaitLine(line -> line.contains(" EXEC ") && line.contains(marker.name()), "EXEC of marker");
            String[] f = exec.trim().split("\\s+");
            assertEquals(marker.name(), f[2], exec);
            assertEquals(Long.toString(marker.pid()), f[3], exec);
            assertEquals(Long.toString(ProcessHandle.current().pid()), f[4], "ppid: " + exec);

            String exit = run.awaitLine(line -> line.contains(" EXIT ") && line.contains(marker.name()), "EXIT of marker");
            String[] g = exit.trim().split("\\s+");
            assertEquals(Long.toString(marker.pid()), g[3], exit);
            assertEquals("[0]", g[5], "exit code: " + exit);
        }
    }

    /** A copy of /bin/true under a fresh short name (a task's comm keeps 15 characters), run once. */
    record Marker(String name, long pid) {
        static Marker exec(String prefix) throws Exception {
            String name = (prefix + Long.toHexString(System.nanoTime())).substring(0, 15);
            Path dir = Files.createTempDirectory("wasmbpf-");
            Path binary = dir.resolve(name);
            Files.copy(Path.of("/bin/true"), binary);
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
            Process process = new ProcessBuilder(binary.toString()).start();
            process.waitFor();
            Files.delete(binary);
            Files.delete(dir);
            return new Marker(name, process.pid());
        }
    }
}
