package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.testing.LineCollector;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
            assertTrue(
                    harness.running().memoryBytes() >= 65_536,
                    "guest memory: " + harness.running().memoryBytes());
            Duration first = harness.running().cpuTime();
            assertTrue(first.toNanos() > 0, "cpu time " + first);
            KernelTestSupport.awaitCondition(
                    "the spinning guest's CPU time to grow past " + first,
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
        // The handshake: the pause is requested inside the guest's own write of LINE1 (a host call, on the
        // guest's thread), so it is in force before the guest's next call whatever the machine's load; the
        // 300 ms the guest sleeps before LINE2 is no longer a window the test must hit.
        CompletableFuture<RunningModule> started = new CompletableFuture<>();
        LineCollector out = new LineCollector();
        OutputStream pausingAtLine1 = new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                if (b != '\n') {
                    line.append((char) b);
                    out.write(b);
                    return;
                }
                if (line.toString().equals("LINE1")) {
                    try {
                        started.get(30, TimeUnit.SECONDS).pause();
                    } catch (Exception e) {
                        throw new IllegalStateException("the test never got its RunningModule", e);
                    }
                }
                line.setLength(0);
                out.write(b); // the test sees LINE1 only once the pause is requested
            }
        };
        try (RunningModule running = WasmBpfRuntime.start(
                WasmBpfModule.fromPath(GuestHarness.guest("wasi_basics")),
                RunConfig.builder()
                        .stdout(pausingAtLine1)
                        .stderr(OutputStream.nullOutputStream())
                        .stdin(new ByteArrayInputStream(new byte[0]))
                        .build())) {
            started.complete(running);
            out.awaitLine("LINE1"::equals, "LINE1");
            assertTrue(running.isPaused());
            // The guest sleeps 300 ms, then writes LINE2: that write (or the sleep) is a host call and must block.
            assertTrue(out.await("LINE2"::equals, Duration.ofSeconds(1)).isEmpty(), "LINE2 written while paused");
            assertFalse(running.isDone());
            running.resume();
            out.awaitLine("LINE2"::equals, "LINE2 after resume");
            assertEquals(
                    new RunResult.Exited(0),
                    running.await(Duration.ofSeconds(60)).orElseThrow());
        }
    }
}
