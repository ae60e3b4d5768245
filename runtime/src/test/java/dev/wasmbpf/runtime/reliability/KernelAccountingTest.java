package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import dev.wasmbpf.runtime.testing.LineCollector;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Load, attach (a tracepoint: a BPF link plus a perf event), poll and close, many times over, and then end
 * every way a run can end: programs, maps, links and perf events all go back to where they were.
 */
class KernelAccountingTest {
    @Test
    void loadAttachPollCloseCyclesLeaveNothingInTheKernel() throws Exception {
        KernelTestSupport.requireKernel();
        long cycles = FuzzCorpus.size("cycles", 500);
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        LineCollector out = new LineCollector();
        RunResult result = WasmBpfRuntime.run(
                WasmBpfModule.fromPath(GuestHarness.guest("rel_exec")),
                RunConfig.builder()
                        .args("cycles", Long.toString(cycles), "exit")
                        .stdout(out)
                        .stderr(new LineCollector())
                        .stdin(new ByteArrayInputStream(new byte[0]))
                        .build());
        assertEquals(new RunResult.Exited(0), result, out.text());
        assertEquals("CYCLES " + cycles, out.lines().getFirst());
        KernelTestSupport.assertReleasedSince(before, cycles + " load/attach/poll/close cycles");
        KernelTestSupport.assertPerfEventsReleased(perfEvents, cycles + " cycles");
    }

    @ParameterizedTest(name = "ending by {0}")
    @ValueSource(strings = {"exit", "trap", "proc_exit", "terminate", "timeout"})
    void runsThatEndWithObjectsStillOpenLeaveNothingInTheKernel(String ending) throws Exception {
        KernelTestSupport.requireKernel();
        long runs = FuzzCorpus.size("endingRuns", 10);
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        for (long run = 0; run < runs; run++) {
            String guestEnd = switch (ending) {
                case "terminate", "timeout" -> "hang";
                default -> ending;
            };
            // The interpreter: these runs are about cleanup, and compiling the guest afresh each time is slow.
            RunConfig.Builder config =
                    RunConfig.builder().args("cycles", "3", guestEnd).engine(Engine.INTERPRETER);
            if (ending.equals("timeout")) {
                config.timeout(java.time.Duration.ofSeconds(1));
            }
            try (GuestHarness guest = GuestHarness.start("rel_exec", config)) {
                if (!ending.equals("timeout")) {
                    guest.awaitReady();
                }
                // A time-out lands wherever the guest is after 1 s: loading, attached, or polling on a loaded
                // machine; waiting for READY first would race it. Every point must leave nothing behind.
                if (ending.equals("terminate")) {
                    guest.running().terminate();
                }
                RunResult result = guest.awaitResult();
                switch (ending) {
                    case "exit" -> assertEquals(new RunResult.Exited(0), result);
                    case "trap" -> assertInstanceOf(RunResult.Trapped.class, result);
                    case "proc_exit" -> assertEquals(new RunResult.Exited(7), result);
                    case "terminate" -> assertEquals(new RunResult.Terminated(), result);
                    default -> assertInstanceOf(RunResult.TimedOut.class, result);
                }
            }
        }
        KernelTestSupport.assertReleasedSince(before, runs + " runs ending by " + ending);
        KernelTestSupport.assertPerfEventsReleased(perfEvents, runs + " runs ending by " + ending);
    }
}
