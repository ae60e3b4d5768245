package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.perf.PerfBufferPoller;
import dev.wasmbpf.bpf.ringbuf.RingBufferPoller;
import dev.wasmbpf.bpf.ringbuf.SampleHandler;
import dev.wasmbpf.bpf.testing.ExecEvents;
import dev.wasmbpf.bpf.testing.ExecEvents.ExecEvent;
import dev.wasmbpf.bpf.testing.ExecTracepointObject;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract both buffer readers keep ({@link SamplePoller}), tested once for each: the exec tracepoint feeding a
 * ring buffer ({@code exec_ringbuf}) and a perf event array ({@code exec_perf}), read back for processes the test
 * starts. What only one kind has is in {@code RingBufferPollerTest} and {@code PerfBufferPollerTest}.
 */
class SamplePollerTest {
    private static final int PERF_PAGES = 8;

    private static SamplePoller open(ExecTracepointObject exec, SampleHandler handler) throws BpfException {
        return SamplePoller.open(exec.events(), PERF_PAGES, handler);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_ringbuf", "exec_perf"})
    void picksTheReaderByMapType(String object) throws BpfException {
        try (var exec = ExecTracepointObject.attached(object);
                SamplePoller poller = open(exec, sample -> 0)) {
            Class<?> expected = object.equals("exec_ringbuf") ? RingBufferPoller.class : PerfBufferPoller.class;
            assertEquals(expected, poller.getClass());
        }
    }

    @Test
    void refusesAMapOfNeitherKind() throws BpfException {
        requireKernel();
        try (BpfObject maps = BpfObject.open(testObject("maps"), "maps_test")) {
            maps.load();
            BpfException e = assertThrows(
                    BpfException.class,
                    () -> SamplePoller.open(maps.map("counts").orElseThrow(), PERF_PAGES, sample -> 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(
                    e.getMessage().contains("HASH") && e.getMessage().contains("not a RINGBUF or PERF_EVENT_ARRAY"),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_ringbuf", "exec_perf"})
    void deliversTheExecOfAProcessWeStartAndCountsSamples(String object) throws BpfException {
        Map<Integer, String> seen = new HashMap<>();
        int[] handled = {0};
        int[] counted = {0};
        try (var exec = ExecTracepointObject.attached(object);
                SamplePoller poller = open(exec, sample -> {
                    assertTrue(sample.byteSize() >= ExecEvents.SIZE, "sample of " + sample.byteSize() + " bytes");
                    ExecEvent event = ExecEvent.of(sample);
                    seen.put(event.pid(), event.comm());
                    handled[0]++;
                    return 0;
                })) {
            int pid = ExecEvents.runTrue();
            awaitCondition("the exec event of pid " + pid, () -> {
                int n = poller.poll(100);
                assertTrue(n >= 0, "poll failed: " + n);
                counted[0] += n;
                return seen.containsKey(pid);
            });
            assertEquals("true", seen.get(pid));
            assertEquals(handled[0], counted[0], "poll returns samples handled, not epoll events");
            assertEquals(0, poller.lostSamples());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_ringbuf", "exec_perf"})
    void handlerExceptionsStopThePollAndAreRethrownUnchanged(String object) throws BpfException {
        // A guest trap arrives as a RuntimeException, a terminated guest as an Error: both must come back as they were.
        for (Throwable boom : List.of(new IllegalStateException("guest trapped"), new AssertionError("terminate"))) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            try (var exec = ExecTracepointObject.attached(object);
                    SamplePoller poller = open(exec, sample -> {
                        if (boom instanceof Error error) {
                            throw error;
                        }
                        throw (RuntimeException) boom;
                    })) {
                ExecEvents.runTrue();
                awaitCondition("a sample reaching the throwing handler", () -> {
                    try {
                        poller.poll(100);
                        return false;
                    } catch (RuntimeException | AssertionError e) {
                        thrown.set(e);
                        return true;
                    }
                });
                assertSame(boom, thrown.get());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_ringbuf", "exec_perf"})
    void negativeReturnStopsThePollWithoutLosingLaterSamples(String object) throws BpfException {
        List<Integer> pids = new ArrayList<>();
        int[] calls = {0};
        try (var exec = ExecTracepointObject.attached(object);
                SamplePoller poller = open(exec, sample -> {
                    pids.add(ExecEvent.of(sample).pid());
                    return ++calls[0] == 1 ? -7 : 0;
                })) {
            List<Integer> ours = List.of(ExecEvents.runTrue(), ExecEvents.runTrue(), ExecEvents.runTrue());
            int first = poller.poll(5_000);
            assertEquals(-7, first, "the handler's negative return is the poll's result");
            assertEquals(1, calls[0], "nothing is delivered after the handler asked to stop");
            // No new exec is needed: the next poll resumes with what is already buffered.
            int next = poller.poll(0);
            assertTrue(next >= 1, "the next poll delivers the buffered samples at once, got " + next);
            awaitCondition("all three exec events", () -> {
                poller.poll(100);
                return pids.containsAll(ours);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_ringbuf", "exec_perf"})
    void samplesDieWithThePoll(String object) throws BpfException {
        AtomicReference<MemorySegment> kept = new AtomicReference<>();
        try (var exec = ExecTracepointObject.attached(object);
                SamplePoller poller = open(exec, sample -> {
                    kept.set(sample);
                    return 0;
                })) {
            ExecEvents.runTrue();
            awaitCondition("a sample", () -> poller.poll(100) > 0);
            assertThrows(IllegalStateException.class, () -> ExecEvent.of(kept.get()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_ringbuf", "exec_perf"})
    void closingFromTheHandlerStopsThePollAndTakesEffectWhenItReturns(String object) throws BpfException {
        try (var exec = ExecTracepointObject.attached(object)) {
            AtomicReference<SamplePoller> self = new AtomicReference<>();
            int[] calls = {0};
            SamplePoller poller = open(exec, sample -> {
                calls[0]++;
                self.get().close();
                return 0;
            });
            self.set(poller);
            ExecEvents.runTrue();
            ExecEvents.runTrue();
            ExecEvents.runTrue();
            int[] result = {0};
            awaitCondition("a sample reaching the closing handler", () -> (result[0] = poller.poll(100)) != 0);
            assertEquals(1, result[0], "the sample that closed it is the last one delivered");
            assertEquals(1, calls[0]);
            assertThrows(IllegalStateException.class, () -> poller.poll(0), "closed once the poll returned");
            poller.close();
        }
    }
}
