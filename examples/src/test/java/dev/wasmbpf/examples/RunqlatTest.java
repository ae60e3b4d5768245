package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunqlatTest {
    private static final Pattern BUCKET = Pattern.compile("^\\s*(\\d+) -> (\\d+)\\s+: (\\d+)\\s+\\|[* ]+\\+?\\|$");
    private static final Pattern TOTAL = Pattern.compile("^total = (\\d+) samples in (\\d+) histograms?$");

    /** The C guest and the Rust one (rust-runqlat, on sdk/rust) print the same histograms. */
    @ParameterizedTest
    @ValueSource(strings = {"runqlat", "rust-runqlat"})
    void printsOneHistogramPerIntervalWhoseCountsAddUpToWhatItReadFromTheMap(String example) throws Exception {
        // Only this JVM's tasks (-p): the counts then come from the test's own activity, not the machine's.
        long self = ProcessHandle.current().pid();
        try (ExampleRun run = ExampleRun.start(example, "-p", Long.toString(self), "1", "2");
                SchedulerActivity activity = SchedulerActivity.start()) {
            run.awaitLine(line -> line.startsWith("Tracing run queue latency"), "header");
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());

            List<Interval> intervals = Interval.parse(run.out().lines());
            assertEquals(2, intervals.size(), run.out().text());
            for (Interval interval : intervals) {
                assertEquals("usecs", interval.units(), run.out().text());
                assertEquals(
                        1,
                        interval.histograms(),
                        "one histogram without -P/-L:\n" + run.out().text());
                assertTrue(
                        interval.total() > 0,
                        "the test's threads woke each other up:\n" + run.out().text());
                assertEquals(
                        interval.total(),
                        interval.bucketSum(),
                        "printed counts must add up to the samples read from the map:\n"
                                + run.out().text());
            }
            assertTrue(activity.handoffs() > 0, "the activity thread ran");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runqlat", "rust-runqlat"})
    void perProcessMillisecondHistogramsOfOneProcessWithTimestamps(String example) throws Exception {
        long self = ProcessHandle.current().pid();
        try (ExampleRun run = ExampleRun.start(example, "-T", "-m", "-P", "-p", Long.toString(self), "1", "1");
                SchedulerActivity activity = SchedulerActivity.start()) {
            run.awaitLine(line -> line.startsWith("Tracing run queue latency"), "header");
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());

            List<String> lines = run.out().lines();
            assertTrue(
                    lines.stream().anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\s*")),
                    "timestamp line: " + lines);
            List<String> pids =
                    lines.stream().filter(line -> line.startsWith("pid = ")).toList();
            // -p filters in the kernel: only this JVM, whose threads the activity keeps waking.
            assertEquals(1, pids.size(), run.out().text());
            assertEquals(Long.toString(self), pids.getFirst().split("\\s+")[2], pids.getFirst());

            Interval interval = Interval.parse(lines).getFirst();
            assertEquals("msecs", interval.units(), run.out().text());
            assertEquals(1, interval.histograms(), run.out().text());
            assertTrue(interval.total() > 0, run.out().text());
            assertEquals(interval.total(), interval.bucketSum(), run.out().text());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runqlat", "rust-runqlat"})
    void rejectsABadIntervalWithAUsageHint(String example) throws Exception {
        try (ExampleRun run = ExampleRun.start(example, "0")) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(
                    run.err().text().contains("Invalid interval: 0"), run.err().text());
            assertTrue(run.err().text().contains("-h"), run.err().text());
            assertFalse(run.out().text().contains("Tracing"), run.out().text());
        }
    }

    /** One interval's output: the histogram lines up to its "total = …" line. */
    record Interval(String units, long bucketSum, long total, int histograms) {
        static List<Interval> parse(List<String> lines) {
            List<Interval> intervals = new ArrayList<>();
            String units = null;
            long sum = 0;
            long previousHigh = -1;
            for (String line : lines) {
                Matcher bucket = BUCKET.matcher(line);
                Matcher total = TOTAL.matcher(line);
                if (line.trim().matches("(usecs|msecs)\\s+: count\\s+distribution")) {
                    units = line.trim().split("\\s+")[0];
                    previousHigh = -1;
                } else if (bucket.matches()) {
                    long low = Long.parseLong(bucket.group(1));
                    long high = Long.parseLong(bucket.group(2));
                    // log2 slots follow each other without gaps: 0 -> 1, 2 -> 3, 4 -> 7 …
                    assertEquals(previousHigh + 1, low, "bucket after " + previousHigh + ": " + line);
                    assertEquals(low == 0 ? 1 : 2 * low - 1, high, line);
                    previousHigh = high;
                    sum += Long.parseLong(bucket.group(3));
                } else if (total.matches()) {
                    intervals.add(
                            new Interval(units, sum, Long.parseLong(total.group(1)), Integer.parseInt(total.group(2))));
                    units = null;
                    sum = 0;
                }
            }
            return intervals;
        }
    }

    /** Two threads handing a token back and forth: each handoff wakes a sleeping thread. */
    static final class SchedulerActivity implements AutoCloseable {
        private final Thread ping;
        private final Thread pong;
        private volatile long handoffs;

        private SchedulerActivity() {
            SynchronousQueue<Long> there = new SynchronousQueue<>();
            SynchronousQueue<Long> back = new SynchronousQueue<>();
            ping = Thread.ofPlatform().name("runqlat-ping").daemon().unstarted(() -> {
                try {
                    for (long i = 0; ; i++) {
                        there.put(i);
                        back.take();
                        handoffs = i + 1;
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            });
            pong = Thread.ofPlatform().name("runqlat-pong").daemon().unstarted(() -> {
                try {
                    for (; ; ) {
                        back.put(there.take());
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            });
        }

        static SchedulerActivity start() {
            SchedulerActivity activity = new SchedulerActivity();
            activity.ping.start();
            activity.pong.start();
            return activity;
        }

        long handoffs() {
            return handoffs;
        }

        @Override
        public void close() throws InterruptedException {
            ping.interrupt();
            pong.interrupt();
            ping.join();
            pong.join();
        }
    }
}
