package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.examples.RunqlatTest.Interval;
import dev.wasmbpf.examples.RunqlatTest.SchedulerActivity;
import dev.wasmbpf.runtime.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only rust-runqlat does (RunqlatTest runs its other tests on both the C and the Rust
 * guest): combined short flags, and its help.
 */
class RustRunqlatTest {

    @Test
    void combinedFlagsGiveAPerProcessMillisecondHistogramWithATimestamp() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ExampleRun run = ExampleRun.start("rust-runqlat", "-mTP", "-p", Long.toString(self), "1", "1");
                SchedulerActivity activity = SchedulerActivity.start()) {
            run.awaitLine(line -> line.startsWith("Tracing run queue latency"), "header");
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());

            List<String> lines = run.out().lines();
            assertTrue(
                    lines.stream().anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\s*")),
                    "timestamp line: " + lines);
            List<String> pids =
                    lines.stream().filter(line -> line.startsWith("pid = ")).toList();
            assertEquals(
                    List.of(Long.toString(self)),
                    pids.stream().map(p -> p.split("\\s+")[2]).toList(),
                    run.out().text());
            Interval interval = Interval.parse(lines).getFirst();
            assertEquals("msecs", interval.units(), run.out().text());
            assertEquals(interval.total(), interval.bucketSum(), run.out().text());
        }
    }

    @Test
    void helpExitsZeroWithTheOptions() throws Exception {
        try (ExampleRun run = ExampleRun.start("rust-runqlat", "-h")) {
            assertEquals(new RunResult.Exited(0), run.awaitExit());
            assertTrue(
                    run.out().text().contains("Summarize run queue (scheduler) latency"),
                    run.out().text());
            assertTrue(run.out().text().contains("-p PID"), run.out().text());
        }
    }
}
