package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.testing.LineCollector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lifecycle and diagnostic events of a run, readiness, and the counters behind them. */
class RunEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void kernel() {
        KernelTestSupport.requireKernel();
    }

    @Test
    void aPollingGuestGoesThroughLoadedAttachedReadyEndedAndCountsItsSamples() throws Exception {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        String marker = GuestHarness.uniqueMarker("ev-marker");
        try (GuestHarness harness = GuestHarness.start(
                "ringbuf_exec", RunConfig.builder().args(marker, "20000").events(events::add))) {
            assertTrue(harness.running().awaitReady(WAIT), "ready: " + events);
            assertTrue(harness.running().isReady());
            // Ready is the first poll, so the exec made now is seen: no READY line awaited.
            long pid = GuestHarness.execMarker(marker);
            String line = harness.out().awaitLine(l -> l.startsWith("EXEC "), "EXEC");
            assertTrue(line.contains(" pid=" + pid + " "), line);
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            harness.assertNothingLeft();
        }
        assertEquals(
                List.of(
                        RunEvent.ObjectLoaded.class,
                        RunEvent.ProgramAttached.class,
                        RunEvent.Ready.class,
                        RunEvent.Ended.class),
                events.stream().map(Object::getClass).toList(),
                events.toString());
        var loaded = (RunEvent.ObjectLoaded) events.get(0);
        assertEquals("ringbuf_exec.wasm", loaded.module());
        assertTrue(loaded.programs().contains("handle_exec") && loaded.maps().contains("events"), loaded.toString());
        // A real load (ELF parsing, map creation, the verifier) takes some time; only that it was measured is checked.
        assertTrue(loaded.openAndLoad().compareTo(java.time.Duration.ZERO) > 0, loaded.toString());
        var attached = (RunEvent.ProgramAttached) events.get(1);
        assertEquals("handle_exec", attached.program());
        assertTrue(attached.section().contains("sched_process_exec"), attached.section());
        assertEquals("", attached.target());
        assertEquals(RunEvent.Ready.Via.BUFFER_POLL, ((RunEvent.Ready) events.get(2)).via());
        var ended = (RunEvent.Ended) events.get(3);
        assertEquals(new RunResult.Exited(0), ended.result());
        assertTrue(ended.stats().samplesDelivered() >= 1, ended.stats().toString());
        RunStats.HostCalls polls = ended.stats().hostCalls().stream()
                .filter(c -> c.function().equals("wasm_bpf_buffer_poll"))
                .findFirst()
                .orElseThrow();
        assertEquals("wasm_bpf", polls.module());
        assertTrue(polls.calls() >= 1, polls.toString());
        assertTrue(
                ended.stats().hostCalls().stream()
                        .anyMatch(c -> c.module().equals("wasi_snapshot_preview1")
                                && c.function().equals("fd_write")
                                && c.calls() >= 2),
                ended.stats().toString());
    }

    @Test
    void aGuestThatExitsBeforeItPollsIsNeverReadyAndAwaitReadySaysSo() throws Exception {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        try (GuestHarness harness =
                GuestHarness.start("exit3", RunConfig.builder().events(events::add))) {
            assertEquals(new RunResult.Exited(3), harness.awaitResult());
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> harness.running().awaitReady(WAIT));
            assertTrue(e.getMessage().contains("exit3.wasm ended before it was ready"), e.getMessage());
            assertFalse(harness.running().isReady());
            harness.assertNothingLeft();
        }
        assertFalse(events.stream().anyMatch(RunEvent.Ready.class::isInstance), events.toString());
        assertInstanceOf(RunEvent.Ended.class, events.getLast());
    }

    @Test
    void aGuestThatSleepsWithoutHavingAttachedAnythingIsNotReady() throws Exception {
        // rel_exec hold loads an object, attaches nothing, then sleeps: running, but not ready.
        try (GuestHarness harness = GuestHarness.start("rel_exec", "hold")) {
            harness.awaitReady();
            assertFalse(harness.running().awaitReady(Duration.ofMillis(1500)));
            assertFalse(harness.running().isReady());
        }
    }

    @Test
    void theDefaultListenerPrintsTheTrapOnTheGuestsStderrAndAListenerOfOnesOwnReplacesIt() throws Exception {
        try (GuestHarness harness = GuestHarness.start("trap")) {
            assertInstanceOf(RunResult.Trapped.class, harness.awaitResult());
            assertTrue(
                    harness.err().lines().stream().anyMatch(l -> l.startsWith("wasm-bpf: trap.wasm trapped: ")),
                    harness.err().text());
        }
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        try (GuestHarness harness =
                GuestHarness.start("trap", RunConfig.builder().events(events::add))) {
            RunResult.Trapped trapped = assertInstanceOf(RunResult.Trapped.class, harness.awaitResult());
            assertFalse(
                    harness.err().text().contains("wasm-bpf: "), harness.err().text());
            RunEvent.Trapped event = events.stream()
                    .filter(RunEvent.Trapped.class::isInstance)
                    .map(RunEvent.Trapped.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(events));
            assertEquals(trapped.message(), event.message());
            assertEquals(trapped.wasmStackTrace(), event.wasmStackTrace());
            assertEquals(
                    new RunEvent.Ended("trap.wasm", trapped, ((RunEvent.Ended) events.getLast()).stats()),
                    events.getLast());
        }
    }

    @Test
    void bothTheLinesAndTheEventsWhenTheDefaultIsCombinedWithAListener() throws Exception {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        LineCollector err = new LineCollector();
        RunResult result = WasmBpfRuntime.run(
                WasmBpfModule.fromPath(GuestHarness.guest("trap")),
                RunConfig.builder()
                        .stdout(new LineCollector())
                        .stderr(err)
                        .events(RunEventListener.diagnostics(err).andThen(events::add))
                        .build());
        assertInstanceOf(RunResult.Trapped.class, result);
        assertTrue(err.text().contains("wasm-bpf: trap.wasm trapped: "), err.text());
        assertTrue(events.stream().anyMatch(RunEvent.Trapped.class::isInstance), events.toString());
    }

    @Test
    void aListenerThatThrowsIsReportedAndTheGuestRunsOn() throws Exception {
        String marker = GuestHarness.uniqueMarker("ev-throw");
        try (GuestHarness harness = GuestHarness.start(
                "ringbuf_exec", RunConfig.builder().args(marker, "20000").events(event -> {
                    throw new IllegalStateException("listener bug");
                }))) {
            assertTrue(harness.running().awaitReady(WAIT));
            GuestHarness.execMarker(marker);
            harness.out().awaitLine(l -> l.startsWith("EXEC "), "EXEC");
            assertEquals(new RunResult.Exited(0), harness.awaitResult());
            assertTrue(
                    harness.err()
                            .text()
                            .contains("event listener failed on ObjectLoaded: "
                                    + "java.lang.IllegalStateException: listener bug"),
                    harness.err().text());
            harness.assertNothingLeft();
        }
    }

    @Test
    void theCliVerboseListenerPrintsTheLifecycle() throws Exception {
        LineCollector err = new LineCollector();
        RunResult result = WasmBpfRuntime.run(
                WasmBpfModule.fromPath(GuestHarness.guest("exit3")),
                RunConfig.builder()
                        .stdout(new LineCollector())
                        .stderr(err)
                        .events(RunEventListener.diagnostics(err).andThen(RunEventListener.lifecycle(err)))
                        .build());
        assertEquals(new RunResult.Exited(3), result);
        List<String> lines = err.lines();
        assertTrue(
                lines.getFirst().startsWith("wasm-bpf: exit3.wasm: loaded BPF object 1 (programs "), lines.toString());
        assertTrue(lines.get(1).startsWith("wasm-bpf: exit3.wasm: attached handle_exec ("), lines.toString());
        assertTrue(
                lines.getLast()
                        .startsWith("wasm-bpf: exit3.wasm: ended (Exited[exitCode=3], exit status 3), 0 samples"),
                lines.toString());
    }

    @Test
    void libbpfsLinesForAModuleReachItsListenerWithTheFailedLoad() throws Exception {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        try (GuestHarness harness =
                GuestHarness.start("verifier_fail", RunConfig.builder().events(events::add))) {
            harness.awaitResult();
        }
        assertTrue(
                events.stream()
                        .anyMatch(e -> e instanceof RunEvent.LibbpfLogLine line
                                && line.module().equals("verifier_fail.wasm")
                                && line.message().contains("handle_exec")),
                events.toString());
        RunEvent.ObjectLoadFailed failed = events.stream()
                .filter(RunEvent.ObjectLoadFailed.class::isInstance)
                .map(RunEvent.ObjectLoadFailed.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError(events));
        assertEquals(13, failed.errno(), failed.toString()); // EACCES: the verifier refused the program
        assertTrue(failed.describe().startsWith("failed to load BPF object: "), failed.describe());
    }
}
