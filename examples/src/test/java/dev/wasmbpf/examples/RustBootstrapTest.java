package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.testkit.MarkerProgram;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** rust-bootstrap (a Rust guest on sdk/rust) reports what the C bootstrap reports, in the same columns. */
class RustBootstrapTest {

    @Test
    void reportsExecAndExitOfAMarkerProcessWithItsPidAndTheTimeOfDay() throws Exception {
        try (ExampleRun run = ExampleRun.start("rust-bootstrap")) {
            String header = run.awaitLine(line -> line.startsWith("TIME "), "header");
            assertEquals("TIME     EVENT COMM             PID     PPID    FILENAME/EXIT CODE", header);
            MarkerProgram.Ran marker = MarkerProgram.execOnce("rsbm");

            String exec =
                    run.awaitLine(line -> line.contains(" EXEC ") && line.contains(marker.name()), "EXEC of marker");
            String[] f = exec.trim().split("\\s+");
            assertEquals(marker.name(), f[2], exec);
            assertEquals(Long.toString(marker.pid()), f[3], exec);
            assertEquals(Long.toString(ProcessHandle.current().pid()), f[4], "ppid: " + exec);
            assertTrue(f[5].endsWith(marker.name()), "filename: " + exec);
            // A real time of day (UTC: WASI has no time zone), not upstream's literal "TIME".
            LocalTime at = LocalTime.parse(f[0]);
            long apart = Math.abs(ChronoUnit.SECONDS.between(at, LocalTime.now(ZoneOffset.UTC)));
            assertTrue(Math.min(apart, 86_400 - apart) < 600, "time of day " + f[0] + " vs UTC now: " + exec);

            String exit =
                    run.awaitLine(line -> line.contains(" EXIT ") && line.contains(marker.name()), "EXIT of marker");
            String[] g = exit.trim().split("\\s+");
            assertEquals(Long.toString(marker.pid()), g[3], exit);
            assertEquals("[0]", g[5], "exit code: " + exit);
        }
    }

    @Test
    void withAMinimumDurationOnlyExitsOfProcessesThatLivedLongerAreReported() throws Exception {
        try (ExampleRun run = ExampleRun.start("rust-bootstrap", "-d", "500")) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            MarkerProgram.Ran quick = MarkerProgram.execOnce("rsbq");
            Process sleeper = new ProcessBuilder("sleep", "0.8").start();
            assertEquals(0, sleeper.waitFor());
            String pid = Long.toString(sleeper.pid());

            String exit = run.awaitLine(
                    line -> line.contains(" EXIT ")
                            && line.trim().split("\\s+")[3].equals(pid),
                    "EXIT of sleep");
            String[] g = exit.trim().split("\\s+");
            assertEquals("sleep", g[2], exit);
            long ms = Long.parseLong(g[6].replaceAll("[^0-9]", ""));
            assertTrue(ms >= 500, "lived at least the minimum: " + exit);
            // The .rodata constant set before load makes the BPF side skip exec records and
            // short exits (the quick marker exited before the sleeper started).
            assertFalse(run.out().text().contains(quick.name()), run.out().text());
            assertFalse(run.out().text().contains(" EXEC "), run.out().text());
        }
    }

    @Test
    void helpAndBadOptions() throws Exception {
        try (ExampleRun run = ExampleRun.start("rust-bootstrap", "-h")) {
            assertEquals(new RunResult.Exited(0), run.awaitExit());
            assertTrue(
                    run.out().text().contains("-d MIN-DURATION-MS"), run.out().text());
        }
        try (ExampleRun run = ExampleRun.start("rust-bootstrap", "-d", "x")) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(
                    run.err().text().contains("Invalid duration: x"), run.err().text());
        }
    }
}
