package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.testkit.Prerequisites;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsmTest {
    private static final String READY = "Denying rmdir of directories named \"can_not_rm\"";
    private static final String UNSUPPORTED = "lsm: BPF LSM is not";

    @Test
    void deniesRmdirOfCanNotRmOrSaysInOneLineThatTheKernelLacksBpfLsm() throws Exception {
        Path parent = Files.createTempDirectory("wasmbpf-lsm-");
        Path protectedDir = Files.createDirectory(parent.resolve("can_not_rm"));
        Path ordinary = Files.createDirectory(parent.resolve("can_rm"));
        try (ExampleRun run = ExampleRun.start("lsm")) {
            Outcome outcome = awaitOutcome(run);
            if (outcome == Outcome.UNSUPPORTED) {
                RunResult result = run.awaitExit();
                assertEquals(new RunResult.Exited(1), result, run.err().text());
                List<String> said = run.err().lines().stream()
                        .filter(line -> line.startsWith(UNSUPPORTED))
                        .toList();
                assertEquals(
                        1, said.size(), "one line saying why:\n" + run.err().text());
                assertTrue(run.out().text().isEmpty(), run.out().text());
                System.out.println("LsmTest: " + said.getFirst());
                // The kernel lacks the feature (not privileges): the one named allowance to skip under
                // WASM_BPF_REQUIRE_KERNEL=1, and only if the kernel's own LSM list agrees.
                Prerequisites.allowMissing(Prerequisites.KernelOption.BPF_LSM, said.getFirst());
            }

            FileSystemException denied = assertThrows(FileSystemException.class, () -> Files.delete(protectedDir));
            assertTrue(String.valueOf(denied.getReason()).contains("Operation not permitted"), String.valueOf(denied));
            assertTrue(Files.isDirectory(protectedDir), "still there");
            String line = run.awaitLine(l -> l.contains("denied rmdir of can_not_rm"), "denial report");
            assertTrue(line.contains("pid " + ProcessHandle.current().pid()), line);

            Files.delete(ordinary); // other names are untouched
        } finally {
            // The program is gone with the run: now the directory can go.
            Files.deleteIfExists(protectedDir);
            Files.deleteIfExists(ordinary);
            Files.delete(parent);
        }
    }

    private enum Outcome {
        READY,
        UNSUPPORTED
    }

    /** Either the ready line on stdout or the one-line explanation on stderr, whichever comes. */
    private static Outcome awaitOutcome(ExampleRun run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (run.out().lines().stream().anyMatch(l -> l.startsWith(READY))) {
                return Outcome.READY;
            }
            if (run.err().lines().stream().anyMatch(l -> l.startsWith(UNSUPPORTED))) {
                return Outcome.UNSUPPORTED;
            }
            if (run.running().await(Duration.ofMillis(50)).isPresent()) {
                // Ended: whatever it printed is all there is.
                return run.err().lines().stream().anyMatch(l -> l.startsWith(UNSUPPORTED))
                        ? Outcome.UNSUPPORTED
                        : failed(run);
            }
        }
        return failed(run);
    }

    private static Outcome failed(ExampleRun run) {
        throw new AssertionError("lsm neither got ready nor explained why not; stdout:\n"
                + run.out().text() + "\nstderr:\n" + run.err().text());
    }
}
