package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import dev.wasmbpf.runtime.testing.LineCollector;
import dev.wasmbpf.testkit.MarkerProgram;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Ten modules in one JVM, each tracing every exec, under an exec storm: each sees every exec of the storm
 * that the kernel did not report as dropped, stopping one leaves the others receiving, and the heap after
 * GC ends where it started (within a generous bound).
 */
class ConcurrentModulesTest {
    /** Execs the others must see after module 0 stopped, to show they go on receiving. */
    private static final int EXECS_AFTER_STOP = 20;

    private static final int MODULES = 10;
    private static final Pattern COUNT = Pattern.compile("COUNT matched=(\\d+) lost=(\\d+) total=(\\d+)");
    private static final long HEAP_GROWTH_BOUND = 64L << 20;

    record Count(long matched, long lost) {}

    @Test
    void tenModulesKeepUpWithAnExecStormAndStoppingOneLeavesTheOthersRunning() throws Exception {
        KernelTestSupport.requireKernel();
        KernelTestSupport.requireFeature("tracefs", KernelTestSupport.tracefsMounted());
        Duration storm = Duration.ofSeconds(FuzzCorpus.size("stormSeconds", 10));
        String marker = GuestHarness.uniqueMarker("storm");
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        WasmBpfModule module = WasmBpfModule.fromPath(GuestHarness.guest("rel_exec"));
        List<RunningModule> modules = new ArrayList<>();
        List<LineCollector> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < MODULES; i++) {
                LineCollector out = new LineCollector();
                outputs.add(out);
                modules.add(WasmBpfRuntime.start(
                        module,
                        RunConfig.builder()
                                .args("count", marker, "300")
                                .stdout(out)
                                .stderr(new LineCollector())
                                .stdin(new ByteArrayInputStream(new byte[0]))
                                .build()));
            }
            for (LineCollector out : outputs) {
                out.awaitLine("READY"::equals, "READY");
            }
            long heapBefore = heapAfterGc();

            MarkerProgram binary = MarkerProgram.createNamed(marker);
            AtomicLong execs = new AtomicLong();
            long deadline = System.nanoTime() + storm.toNanos();
            long half = System.nanoTime() + storm.toNanos() / 2;
            Count[] atStop = null;
            long execsAfterStop = 0;
            // Not only until the deadline: the storm goes on until module 0 is stopped and the others have had
            // execs after that, however long the stop took on a loaded machine.
            while (atStop == null || System.nanoTime() < deadline || execsAfterStop < EXECS_AFTER_STOP) {
                binary.run();
                execs.incrementAndGet();
                if (atStop != null) {
                    execsAfterStop++;
                }
                if (atStop == null && System.nanoTime() >= half) {
                    modules.getFirst().terminate();
                    assertEquals(
                            new RunResult.Terminated(),
                            modules.getFirst().await(Duration.ofSeconds(30)).orElseThrow());
                    atStop = new Count[MODULES];
                    for (int i = 1; i < MODULES; i++) {
                        atStop[i] = latest(outputs.get(i));
                    }
                }
            }
            long total = execs.get();
            binary.delete();
            for (int i = 1; i < MODULES; i++) {
                LineCollector out = outputs.get(i);
                KernelTestSupport.awaitCondition(
                        "module " + i + " to account for all " + total + " execs: " + latest(out), () -> {
                            Count c = latest(out);
                            return c.matched() + c.lost() >= total;
                        });
            }
            long heapAfter = heapAfterGc();
            StringBuilder report = new StringBuilder();
            for (int i = 1; i < MODULES; i++) {
                Count c = latest(outputs.get(i));
                assertTrue(c.matched() <= total, "module " + i + " counted more execs than happened: " + c);
                assertTrue(
                        c.matched() > atStop[i].matched(),
                        "module " + i + " stopped receiving when module 0 was stopped: " + atStop[i] + " -> " + c);
                report.append(' ').append(c.matched()).append('/').append(c.lost());
            }
            System.out.println("ConcurrentModulesTest: " + total + " execs in " + storm.toSeconds()
                    + " s; matched/lost per" + " module:" + report + "; heap after GC " + (heapBefore >> 20)
                    + " MiB -> " + (heapAfter >> 20) + " MiB");
            assertTrue(
                    heapAfter - heapBefore < HEAP_GROWTH_BOUND,
                    "heap grew from " + heapBefore + " to " + heapAfter + " bytes");
        } finally {
            for (RunningModule running : modules) {
                running.close();
            }
        }
        KernelTestSupport.assertReleasedSince(before, "ten modules");
        KernelTestSupport.assertPerfEventsReleased(perfEvents, "ten modules");
    }

    private static Count latest(LineCollector out) {
        List<String> lines = out.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = COUNT.matcher(lines.get(i));
            if (m.matches()) {
                return new Count(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
        }
        return new Count(0, 0);
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        // Several rounds: one System.gc() is a hint, and the smallest reading is the live set's best estimate.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }
}
