package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.examples.RunqlatTest.Interval;
import dev.wasmbpf.examples.RunqlatTest.SchedulerActivity;
import dev.wasmbpf.runtime.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rust-runqlat (a Rust guest on sdk/rust: histograms read with get-next-key + lookup, then
 * deleted) prints what the C runqlat prints; the output is checked with RunqlatTest's parser.
 */
class RustRunqlatTest {

    @Test
    void printsOneHistogramPerIntervalWhoseCountsAddUpToWhatItReadFromTheMap() throws Exception {
        try (ExampleRun run = ExampleRun.start("rust-runqlat", "1", "2");
                SchedulerActivity activity = SchedulerActivity.start()) {
            run.awaitLine(line -> line.startsWith("Tracing run queue latency"), "header");
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());

            List<Interval> intervals = Interval.parse(run.out().lines());
            assertEquals(2, intervals.size(), run.out().text());
            for (Interval interval : intervals) {
                assertEquals("usecs", interval.units(), run.out().text());
                assertEquals(1, interval.histograms(), "one histogram without -P/-L:\n" + run.out().text());
                assertTrue(interval.total() > 0, "the test's threads woke each other up:\n" + run.out().text());
                assertEquals(interval.total(), interval.bucketSum(),
                        "printed counts must add up to the samples read from the map:\n" + run.out().text());
            }
            assertTrue(activity.handoffs() > 0, "the activity thread ran");
        }
    }

    @Test
    void perProcessMillisecondHistogramsOfOneProcessWithCombinedFlags() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ExampleRun run = ExampleRun.start("rust-runqlat", "-mTP", "-p", Long.toString(self), "1", "1");
                SchedulerActivity activity = SchedulerActivity.start()) {
            run.awaitLine(line -> line.startsWith("Tracing run queue latency"), "header");
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());

            List<String> lines = run.out().lines();
            assertTrue(lines.stream().anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\s*")), "timestamp line: " + lines);
            List<String> pids = lines.stream().filter(line -> line.startsWith("pid = ")).toList();
            // -p filters in the kernel (.rodata set before load): only this JVM.
            assertEquals(1, pids.size(), run.out().text());
            assertEquals(Long.toString(self), pids.getFirst().split("\\s+")[2], pids.getFirst());

            Interval interval = Interval.parse(lines).getFirst();
            assertEquals("msecs", interval.units(), run.out().text());
            assertEquals(1, interval.histograms(), run.out().text());
            assertTrue(interval.total() > 0, run.out().text());
            assertEquals(interval.total(), interval.bucketSum(), run.out().text());
        }
    }

    @Test
    void helpAndABadIntervalWithAUsageHint() throws Exception {
        try (ExampleRun run = ExampleRun.start("rust-runqlat", "-h")) {
            assertEquals(new RunResult.Exited(0), run.awaitExit());
            assertTrue(run.out().text().contains("Summarize run queue (scheduler) latency"), run.out().text());
        }
        try (ExampleRun run = ExampleRun.start("rust-runqlat", "0")) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(run.err().text().contains("Invalid interval: 0"), run.err().text());
            assertTrue(run.err().text().contains("-h"), run.err().text());
            assertFalse(run.out().text().contains("Tracing"), run.out().text());
        }
    }
}
