package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Terminate, pause and resume through the embedding API. */
class ExecutionControlTest {
    @Test
    void terminatingAGuestSpinningInWasmCodeStopsItAndReleasesEverything() throws Exception {
        KernelTestSupport.requireKernel();
        try (GuestHarness harness = GuestHarness.start("spin")) {
            harness.awaitReady();
            harness.running().terminate();
            assertEquals(new RunResult.Terminated(), harness.awaitResult());
            harness.assertNothingLeft();
        }
    }

    @Test
    void cpuTimeGrowsWhileAGuestSpinsAndStaysOnceATerminateWithoutGraceEndedIt() throws Exception {
        KernelTestSupport.requireKernel();
        try (GuestHarness harness = GuestHarness.start("spin")) {
            harness.awaitReady();
            assertTrue(harness.running().memoryBytes() >= 65_536, "guest memory: " + harness.running().memoryBytes());
            Duration first = harness.running().cpuTime();
            assertTrue(first.toNanos() > 0, "cpu time " + first);
            KernelTestSupport.awaitCondition("the spinning guest's CPU time to grow past " + first,
                    () -> harness.running().cpuTime().compareTo(first) > 0);
            harness.running().terminate(Duration.ZERO);
            assertEquals(new RunResult.Terminated(), harness.awaitResult());
            harness.assertNothingLeft();
            Duration atEnd = harness.running().cpuTime();
            assertTrue(atEnd.compareTo(first) > 0, atEnd + " after " + first);
        }
    }

    @Test
    void terminatingAGuestBlockedInAnEndlessPollStopsIt() throws Exception {
        KernelTestSupport.requireKernel();
        try (GuestHarness harness = GuestHarness.start("sleeper")) {
            harness.awaitReady();
            harness.running().terminate();
            assertEquals(new RunResult.Terminated(), harness.awaitResult());
            harness.assertNothingLeft();
        }
    }

    @Test
    void aPausedGuestStopsAtItsNextHostCallAndGoesOnAfterResume() throws Exception {
        try (GuestHarness harness = GuestHarness.start("wasi_basics")) {
            harness.out().awaitLine("LINE1"::equals, "LINE1");
            harness.running().pause();
            assertTrue(harness.running().isPaused());
            // The guest sleeps 300 ms, then writes LINE2: that write is a host call and must block.
            assertTrue(harness.out().await("LINE2"::equals, Duration.ofSeconds(1)).isEmpty(),
                    "LINE2 written while paused");
            assertFalse(harness.running().isDone());
            harness.running().resume();
            harness.out().awaitLine("LINE2"::equals, "LINE2 after resume");
            assertEquals(new RunResult.Exited(0), harness.awaitResult());
        }
    }
}
