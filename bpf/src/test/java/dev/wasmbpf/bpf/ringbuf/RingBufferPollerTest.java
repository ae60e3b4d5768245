package dev.wasmbpf.bpf.ringbuf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfObject;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.testing.ExecEvents;
import dev.wasmbpf.bpf.testing.ExecEvents.ExecEvent;
import dev.wasmbpf.bpf.testing.ExecTracepointObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only the ring buffer reader does: skipping discarded records, refusing other maps. The contract it shares
 * with the perf buffer reader is tested for both in {@code SamplePollerTest}.
 */
class RingBufferPollerTest {
    @Test
    void skipsDiscardedRecordsAndDeliversTheOnesBehindThem() throws BpfException {
        try (ExecTracepointObject discarding = ExecTracepointObject.attached("exec_ringbuf_discard")) {
            List<ExecEvent> events = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            try (RingBufferPoller poller = RingBufferPoller.create(discarding.events(), sample -> {
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
        requireKernel();
        try (BpfObject other = BpfObject.open(testObject("exec_perf"), "exec_perf")) {
            other.load();
            BpfException e = assertThrows(
                    BpfException.class,
                    () -> RingBufferPoller.create(other.map("events").orElseThrow(), sample -> 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("PERF_EVENT_ARRAY"), e.getMessage());
        }
    }
}
