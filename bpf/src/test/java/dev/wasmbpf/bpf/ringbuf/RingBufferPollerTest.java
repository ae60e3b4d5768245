package dev.wasmbpf.bpf.ringbuf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfObject;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.testing.ExecEvents;
import dev.wasmbpf.bpf.testing.ExecTracepointObject;
import dev.wasmbpf.bpf.testing.ExecEvents.ExecEvent;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tracepoint auto-attach feeding a ring buffer, read back for processes the test starts. */
class RingBufferPollerTest {
    @RegisterExtension
    final ExecTracepointObject exec = new ExecTracepointObject("exec_ringbuf");

    @Test
    void deliversTheExecOfAProcessWeStart() throws BpfException {
        Map<Integer, String> seen = new HashMap<>();
        int[] handled = {0};
        int[] counted = {0};
        try (RingBufferPoller poller = RingBufferPoller.create(exec.events(), sample -> {
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
            assertEquals(handled[0], counted[0], "poll returns the number of samples handled");
        }
    }

    @Test
    void handlerExceptionStopsThePollAndIsRethrownUnchanged() throws BpfException {
        RuntimeException boom = new IllegalStateException("guest trapped");
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        try (RingBufferPoller poller = RingBufferPoller.create(exec.events(), sample -> {
            throw boom;
        })) {
            ExecEvents.runTrue();
            awaitCondition("a sample reaching the throwing handler", () -> {
                try {
                    poller.poll(100);
                    return false;
                } catch (RuntimeException e) {
                    thrown.set(e);
                    return true;
                }
            });
            assertSame(boom, thrown.get());
        }
    }

    @Test
    void negativeReturnStopsThePollWithoutLosingLaterSamples() throws BpfException {
        List<Integer> pids = new ArrayList<>();
        int[] calls = {0};
        try (RingBufferPoller poller = RingBufferPoller.create(exec.events(), sample -> {
            pids.add(ExecEvent.of(sample).pid());
            return ++calls[0] == 1 ? -7 : 0;
        })) {
            List<Integer> ours = List.of(ExecEvents.runTrue(), ExecEvents.runTrue(), ExecEvents.runTrue());
            int first = poller.poll(5_000);
            assertEquals(-7, first, "the handler's negative return is the poll's result");
            assertEquals(1, calls[0], "nothing is delivered after the handler asked to stop");
            awaitCondition("all three exec events", () -> {
                poller.poll(100);
                return pids.containsAll(ours);
            });
        }
    }

    @Test
    void skipsDiscardedRecordsAndDeliversTheOnesBehindThem() throws BpfException {
        try (BpfObject discarding = BpfObject.open(testObject("exec_ringbuf_discard"), "exec_ringbuf_discard")) {
            discarding.load();
            discarding.program("handle_exec").orElseThrow().attach();
            List<ExecEvent> events = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            try (RingBufferPoller poller = RingBufferPoller.create(discarding.map("events").orElseThrow(), sample -> {
                sizes.add(sample.byteSize());
                events.add(ExecEvent.of(sample));
                return 0;
            })) {
                List<Integer> ours = List.of(ExecEvents.runTrue(), ExecEvents.runTrue(), ExecEvents.runTrue());
                awaitCondition("the three exec events behind their discarded decoys", () -> {
                    poller.poll(100);
                    return events.stream().map(ExecEvent::pid).toList().containsAll(ours);
                });
                assertTrue(events.stream().noneMatch(e -> e.pid() == 0), "a discarded decoy was delivered: " + events);
                assertTrue(sizes.stream().allMatch(size -> size == ExecEvents.SIZE), "sample sizes " + sizes);
            }
        }
    }

    @Test
    void refusesMapsThatAreNoRingBuffer() throws BpfException {
        try (BpfObject other = BpfObject.open(testObject("exec_perf"), "exec_perf")) {
            other.load();
            BpfException e = assertThrows(BpfException.class,
                    () -> RingBufferPoller.create(other.map("events").orElseThrow(), sample -> 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("PERF_EVENT_ARRAY"), e.getMessage());
        }
    }

    @Test
    void samplesDieWithThePoll() throws BpfException {
        AtomicReference<MemorySegment> kept = new AtomicReference<>();
        try (RingBufferPoller poller = RingBufferPoller.create(exec.events(), sample -> {
            kept.set(sample);
            return 0;
        })) {
            ExecEvents.runTrue();
            awaitCondition("a sample", () -> poller.poll(100) > 0);
            assertThrows(IllegalStateException.class, () -> ExecEvent.of(kept.get()));
        }
    }

    @Test
    void closingFromTheHandlerStopsThePollAndTakesEffectWhenItReturns() throws BpfException {
        AtomicReference<RingBufferPoller> self = new AtomicReference<>();
        int[] calls = {0};
        RingBufferPoller poller = RingBufferPoller.create(exec.events(), sample -> {
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
