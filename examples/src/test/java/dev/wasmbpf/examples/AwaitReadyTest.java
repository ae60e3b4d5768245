package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunEvent;
import dev.wasmbpf.testkit.MarkerProgram;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** awaitReady is a promise: an exec made the moment it returns reaches bootstrap, every time. */
class AwaitReadyTest {
    private static final int REPETITIONS = 20;

    @Test
    void anExecRightAfterAwaitReadyIsAlwaysSeenByBootstrap() throws Exception {
        for (int i = 0; i < REPETITIONS; i++) {
            List<RunEvent> events = new CopyOnWriteArrayList<>();
            try (ExampleRun run =
                    ExampleRun.start("bootstrap", RunConfig.builder().events(events::add))) {
                assertTrue(run.running().awaitReady(Duration.ofSeconds(30)), "repetition " + i + ": " + events);
                // No header line awaited: readiness alone must be enough.
                MarkerProgram.Ran marker = MarkerProgram.execOnce("rdy");
                String exec = run.awaitLine(
                        line -> line.contains(" EXEC ") && line.contains(marker.name()),
                        "EXEC of " + marker.name() + " in repetition " + i);
                assertEquals(Long.toString(marker.pid()), exec.trim().split("\\s+")[3], exec);
            }
            assertEquals(
                    List.of(
                            RunEvent.ObjectLoaded.class,
                            RunEvent.ProgramAttached.class,
                            RunEvent.ProgramAttached.class,
                            RunEvent.Ready.class,
                            RunEvent.Ended.class),
                    events.stream().map(Object::getClass).toList(),
                    events.toString());
        }
    }

    @Test
    void aGuestThatSleepsBetweenMapReadsIsReadyAtItsFirstSleepAfterAttaching() throws Exception {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        try (ExampleRun run = ExampleRun.start("runqlat", RunConfig.builder().events(events::add))) {
            assertTrue(run.running().awaitReady(Duration.ofSeconds(30)), events.toString());
        }
        assertTrue(
                events.stream()
                        .anyMatch(e -> e instanceof RunEvent.Ready ready
                                && ready.via() == RunEvent.Ready.Via.SLEEP_AFTER_ATTACH),
                events.toString());
    }
}
