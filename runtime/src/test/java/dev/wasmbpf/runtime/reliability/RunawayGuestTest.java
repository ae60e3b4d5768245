package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guests that never stop by themselves: each is stopped by the time limit and by terminate, reported, and
 * leaves nothing behind. Time limits here are short so the suite stays quick; nothing asserts how long
 * stopping took.
 */
class RunawayGuestTest {
    private static final Duration LIMIT = Duration.ofSeconds(2);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"loop", "nap"})
    void aGuestThatNeverReturnsIsStoppedByItsTimeLimit(String mode) throws Exception {
        try (GuestHarness harness =
                GuestHarness.start("rel_runaway", RunConfig.builder().args(mode).timeout(LIMIT))) {
            harness.awaitReady();
            assertEquals(new RunResult.TimedOut(LIMIT), harness.awaitResult());
            assertEquals(RunResult.TIMED_OUT_EXIT_CODE, harness.awaitResult().exitCode());
            harness.err().awaitLine(line -> line.contains("timed out after 2s"), "the time-out report");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"loop", "nap"})
    void aGuestThatNeverReturnsIsStoppedByTerminate(String mode) throws Exception {
        try (GuestHarness harness = GuestHarness.start("rel_runaway", mode)) {
            harness.awaitReady();
            harness.running().terminate();
            assertEquals(new RunResult.Terminated(), harness.awaitResult());
        }
    }

    @Test
    void aGuestGrowingMemoryWithoutBoundIsRefusedAtTheLimitAndTheTrapSaysSo() throws Exception {
        long limit = 16L << 20;
        try (GuestHarness harness = GuestHarness.start(
                "rel_runaway",
                RunConfig.builder().args("hog").maxMemoryBytes(limit).timeout(Duration.ofSeconds(60)))) {
            RunResult result = harness.awaitResult();
            RunResult.MemoryLimitExceeded exceeded = assertInstanceOf(
                    RunResult.MemoryLimitExceeded.class, result, harness.err().text());
            assertEquals(limit, exceeded.limitBytes());
            assertEquals(RunResult.MEMORY_LIMIT_EXIT_CODE, result.exitCode());
            int megabytes = Integer.parseInt(harness.out()
                    .awaitLine(line -> line.startsWith("MALLOC_FAILED"), "malloc failure")
                    .replaceAll("\\D+", " ")
                    .trim()
                    .split(" ")[0]);
            assertTrue(megabytes >= 10 && megabytes < 16, "got " + megabytes + " MiB under a 16 MiB limit");
            assertEquals(
                    1,
                    harness.err().lines().stream()
                            .filter(line -> line.contains("refused: memory limit"))
                            .count(),
                    harness.err().text());
        }
    }

    @Test
    void aGuestThatHandlesTheRefusalExitsWithItsOwnStatus() throws Exception {
        try (GuestHarness harness = GuestHarness.start(
                "rel_runaway", RunConfig.builder().args("hog-exit").maxMemoryBytes(8L << 20))) {
            assertEquals(new RunResult.Exited(3), harness.awaitResult());
            harness.err().awaitLine(line -> line.contains("refused: memory limit 8388608 bytes"), "the refusal report");
        }
    }

    @Test
    void aModuleWhoseInitialMemoryExceedsTheLimitDoesNotStart() throws Exception {
        WasmBpfModule module = WasmBpfModule.fromPath(GuestHarness.guest("rel_runaway"));
        ModuleLoadException e = assertThrows(
                ModuleLoadException.class,
                () -> WasmBpfRuntime.start(
                        module, RunConfig.builder().maxMemoryBytes(65_536).build()));
        assertTrue(e.getMessage().contains("more than the 65536-byte memory limit"), e.getMessage());
    }

    @Test
    void aSampleCallbackThatNeverReturnsIsStoppedByTerminateAndReleasesTheKernelObjects() throws Exception {
        KernelTestSupport.requireKernel();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        try (GuestHarness harness = GuestHarness.start("rel_runaway", "callback")) {
            harness.awaitReady();
            awaitCallback(harness);
            harness.running().terminate();
            assertEquals(new RunResult.Terminated(), harness.awaitResult());
            harness.assertNothingLeft();
            KernelTestSupport.assertPerfEventsReleased(perfEvents, "the stuck callback guest");
        }
    }

    @Test
    void aSampleCallbackThatNeverReturnsIsStoppedByTheTimeLimit() throws Exception {
        KernelTestSupport.requireKernel();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        Duration limit = Duration.ofSeconds(5);
        try (GuestHarness harness = GuestHarness.start(
                "rel_runaway", RunConfig.builder().args("callback").timeout(limit))) {
            harness.awaitReady();
            awaitCallback(harness);
            assertEquals(new RunResult.TimedOut(limit), harness.awaitResult());
            harness.assertNothingLeft();
            KernelTestSupport.assertPerfEventsReleased(perfEvents, "the stuck callback guest");
        }
    }

    /**
     * Chicory's interpreter checks for interruption only at calls and unconditional branches: a guest
     * waiting on a flag in interpreted code (a loop closed by br_if) never sees terminate. It is abandoned
     * after the grace period, and what it holds in the kernel is released all the same.
     */
    @Test
    void anInterpretedLoopThatIgnoresTerminateIsAbandonedAndItsKernelObjectsReleased() throws Exception {
        KernelTestSupport.requireKernel();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        try (GuestHarness harness = GuestHarness.start(
                "rel_runaway", RunConfig.builder().args("hold-spin").engine(Engine.INTERPRETER))) {
            SpinningGuest guest = SpinningGuest.awaitInLoop(harness);
            harness.running().terminate();
            assertEquals(new RunResult.Terminated(), harness.awaitResult());
            harness.err().awaitLine(line -> line.contains("did not stop within 5s"), "the abandonment report");
            harness.assertNothingLeft();
            KernelTestSupport.assertPerfEventsReleased(perfEvents, "the abandoned guest");
            guest.release();
        }
    }

    @Test
    void anInterpretedLoopThatIgnoresItsTimeLimitEndsAsTimedOut() throws Exception {
        KernelTestSupport.requireKernel();
        // Long enough for the guest to reach its loop first: before it, the guest would stop at its next call.
        Duration limit = Duration.ofSeconds(10);
        try (GuestHarness harness = GuestHarness.start(
                "rel_runaway",
                RunConfig.builder().args("hold-spin").engine(Engine.INTERPRETER).timeout(limit))) {
            SpinningGuest guest = SpinningGuest.awaitInLoop(harness);
            assertEquals(new RunResult.TimedOut(limit), harness.awaitResult());
            harness.err().awaitLine(line -> line.contains("did not stop within 5s"), "the abandonment report");
            harness.assertNothingLeft();
            guest.release();
        }
    }

    /**
     * rel_runaway hold-spin: the addresses of its flag and loop counter. Terminating before the guest is in its
     * loop would let it stop at its next call (the interrupt is already set), so the test waits for the counter
     * to move; afterwards it sets the flag, or the abandoned thread would spin until the JVM exits.
     */
    private record SpinningGuest(GuestHarness harness, int flag, int counter) {
        static SpinningGuest awaitInLoop(GuestHarness harness) throws Exception {
            String[] line = harness.out()
                    .awaitLine(l -> l.startsWith("FLAG "), "the flag's address")
                    .split(" ");
            SpinningGuest guest =
                    new SpinningGuest(harness, Integer.parseUnsignedInt(line[1]), Integer.parseUnsignedInt(line[3]));
            harness.awaitReady();
            int before = harness.readGuestInt(guest.counter);
            KernelTestSupport.awaitCondition(
                    "the guest spinning in its loop", () -> harness.readGuestInt(guest.counter) != before);
            return guest;
        }

        void release() {
            harness.writeGuestInt(flag, 1);
        }
    }

    /** Execs until the guest reports it is inside its callback (the first exec may race with the attach). */
    private static void awaitCallback(GuestHarness harness) throws Exception {
        for (int i = 0;
                i < 50
                        && harness.out()
                                .await("IN_CALLBACK"::equals, Duration.ofMillis(200))
                                .isEmpty();
                i++) {
            GuestHarness.execMarker(GuestHarness.uniqueMarker("stuck"));
        }
        harness.out().awaitLine("IN_CALLBACK"::equals, "the guest inside its callback");
    }
}
