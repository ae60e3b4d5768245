package dev.wasmbpf.bpf.perf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfObject;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.testing.ExecTracepointObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only the perf buffer reader checks: its page count and its map's type. The contract it shares with the ring
 * buffer reader is tested for both in {@code SamplePollerTest}.
 */
class PerfBufferPollerTest {
    @RegisterExtension
    final ExecTracepointObject exec = new ExecTracepointObject("exec_perf");

    @Test
    void refusesWrongMapsAndPageCounts() throws BpfException {
        var events = exec.events();
        assertEquals(
                Errno.EINVAL,
                assertThrows(BpfException.class, () -> PerfBufferPoller.create(events, 3, sample -> 0))
                        .errno());
        try (BpfObject other = BpfObject.open(testObject("exec_ringbuf"), "exec_ringbuf")) {
            other.load();
            BpfException e = assertThrows(
                    BpfException.class,
                    () -> PerfBufferPoller.create(other.map("events").orElseThrow(), 8, sample -> 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("RINGBUF"), e.getMessage());
        }
    }
}
