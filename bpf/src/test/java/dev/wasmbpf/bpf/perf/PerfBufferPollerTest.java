package dev.wasmbpf.bpf.perf;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tracepoint auto-attach feeding a perf event array, read back for processes the test starts. */
class PerfBufferPollerTest {
    @RegisterExtension
    final ExecTracepointObject exec = new ExecTracepointObject("exec_perf");

    @Test
    void deliversTheExecOfAProcessWeStartAndCountsSamples() throws BpfException {
        Map<Integer, String> seen = new HashMap<>();
        int[] handled = {0};
        int[] counted = {0};
        try (PerfBufferPoller poller = PerfBufferPoller.create(exec.events(), 8, sample -> {
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

    @Test
    void handlerExceptionStopsThePollAndIsRethrownUnchanged() throws BpfException {
        Error boom = new AssertionError("terminate the guest");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (PerfBufferPoller poller = PerfBufferPoller.create(exec.events(), 8, sample -> {
            throw boom;
        })) {
            ExecEvents.runTrue();
            awaitCondition("a sample reaching the throwing handler", () -> {
                try {
                    poller.poll(100);
                    return false;
                } catch (AssertionError e) {
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
        try (PerfBufferPoller poller = PerfBufferPoller.create(exec.events(), 8, sample -> {
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

    @Test
    void refusesWrongMapsAndPageCounts() throws BpfException {
        var events = exec.events();
        assertEquals(Errno.EINVAL, assertThrows(BpfException.class,
                () -> PerfBufferPoller.create(events, 3, sample -> 0)).errno());
        try (BpfObject other = BpfObject.open(testObject("exec_ringbuf"), "exec_ringbuf")) {
            other.load();
            BpfException e = assertThrows(BpfException.class,
                    () -> PerfBufferPoller.create(other.map("events").orElseThrow(), 8, sample -> 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("RINGBUF"), e.getMessage());
        }
    }

    @Test
    void closingFromTheHandlerStopsThePollAndTakesEffectWhenItReturns() throws BpfException {
        AtomicReference<PerfBufferPoller> self = new AtomicReference<>();
        int[] calls = {0};
        PerfBufferPoller poller = PerfBufferPoller.create(exec.events(), 8, sample -> {
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
