package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpensnoopTest {
    private static final long SELF = ProcessHandle.current().pid();
    private Path dir;

    @BeforeEach
    void markerDirectory() throws IOException {
        dir = Files.createTempDirectory("wasmbpf-opensnoop-");
    }

    @AfterEach
    void removeMarkers() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Test
    void reportsSuccessfulAndFailedOpensWithPidFdErrorAndPath() throws Exception {
        try (ExampleRun run = ExampleRun.start("opensnoop")) {
            awaitHeader(run);
            Path present = existingMarker("present");
            Path missing = dir.resolve("missing");
            Path missingInChild = dir.resolve("missing-in-child");

            Files.readAllBytes(present);
            assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(missing));
            long cat = runCat(missingInChild);

            Open opened = awaitOpen(run, present);
            assertEquals(SELF, opened.pid(), opened.line());
            assertTrue(opened.fd() >= 0, "fd: " + opened.line());
            assertEquals(0, opened.err(), opened.line());

            Open failed = awaitOpen(run, missing);
            assertEquals(SELF, failed.pid(), failed.line());
            assertEquals(-1, failed.fd(), failed.line());
            assertEquals(2, failed.err(), "ENOENT: " + failed.line());

            Open child = awaitOpen(run, missingInChild);
            assertEquals(cat, child.pid(), child.line());
            assertEquals("cat", child.comm(), child.line());
            assertEquals(2, child.err(), child.line());
        }
    }

    @Test
    void failedOnlyWithDashX() throws Exception {
        try (ExampleRun run = ExampleRun.start("opensnoop", "-x")) {
            awaitHeader(run);
            Path present = existingMarker("present");
            Path missing = dir.resolve("missing");

            Files.readAllBytes(present);
            assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(missing));
            assertEquals(2, awaitOpen(run, missing).err());

            syncWith(run);
            assertNoOpenOf(run, present);
        }
    }

    @Test
    void onlyTheGivenProcessWithDashP() throws Exception {
        try (ExampleRun run = ExampleRun.start("opensnoop", "-p", Long.toString(SELF))) {
            awaitHeader(run);
            Path missingInChild = dir.resolve("missing-in-child");
            runCat(missingInChild);
            Path mine = dir.resolve("missing-in-jvm");
            assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(mine));
            assertEquals(SELF, awaitOpen(run, mine).pid());

            syncWith(run);
            assertNoOpenOf(run, missingInChild);
            List<String> events = run.out().lines().stream()
                    .filter(line -> !line.startsWith("PID "))
                    .toList();
            assertTrue(
                    events.stream()
                            .allMatch(line -> line.trim().split("\\s+")[0].equals(Long.toString(SELF))),
                    "only pid " + SELF + ":\n" + events);
        }
    }

    @Test
    void endsByItselfAfterDashDSeconds() throws Exception {
        try (ExampleRun run = ExampleRun.start("opensnoop", "-d", "1")) {
            awaitHeader(run);
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
        }
    }

    private static void awaitHeader(ExampleRun run) throws InterruptedException {
        run.awaitLine(line -> line.startsWith("PID ") && line.endsWith("PATH"), "header");
    }

    private Path existingMarker(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "marker");
    }

    /** Runs cat on a file that does not exist; returns the child's pid. */
    private static long runCat(Path file) throws Exception {
        Process process = new ProcessBuilder("cat", file.toString())
                .redirectErrorStream(true)
                .start();
        process.getInputStream().readAllBytes();
        assertEquals(1, process.waitFor(), "cat of a missing file fails");
        return process.pid();
    }

    private static Open awaitOpen(ExampleRun run, Path path) throws InterruptedException {
        return Open.parse(run.awaitLine(line -> line.endsWith(" " + path), "open of " + path));
    }

    /**
     * An open made after everything the test already did, and waited for: once it is printed, events
     * of earlier opens have been printed too (or were filtered out).
     */
    private void syncWith(ExampleRun run) throws InterruptedException {
        Path sync = dir.resolve("sync");
        assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(sync));
        awaitOpen(run, sync);
    }

    private static void assertNoOpenOf(ExampleRun run, Path path) {
        assertTrue(
                run.out().lines().stream().noneMatch(line -> line.endsWith(" " + path)),
                "no open of " + path + " expected:\n" + run.out().text());
    }

    /** One output line: PID COMM FD ERR PATH (COMM may contain spaces: parsed from both ends). */
    record Open(String line, long pid, String comm, int fd, int err, String path) {
        static Open parse(String line) {
            String[] head = line.trim().split("\\s+", 2);
            long pid = Long.parseLong(head[0]);
            String rest = head[1];
            int pathStart = rest.indexOf(" /");
            String path = rest.substring(pathStart + 1);
            String[] middle = rest.substring(0, pathStart).trim().split("\\s+");
            int n = middle.length;
            String comm = String.join(" ", List.of(middle).subList(0, n - 2));
            return new Open(line, pid, comm, Integer.parseInt(middle[n - 2]), Integer.parseInt(middle[n - 1]), path);
        }
    }
}
