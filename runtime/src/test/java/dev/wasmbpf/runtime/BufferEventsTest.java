package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guests receive kernel events through ring buffers and perf buffers, in every poll flavour. */
class BufferEventsTest {
    @BeforeAll
    static void kernel() {
        KernelTestSupport.requireKernel();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ringbuf_exec", "perfbuf_exec", "sdk_ringbuf_exec", "tinygo_style"})
    void guestSeesTheExecOfAProcessTheTestStarts(String guest) throws Exception {
        String marker = GuestHarness.uniqueMarker("exec-marker");
        try (GuestHarness harness = GuestHarness.start(guest, marker, "20000")) {
            harness.awaitReady();
            long pid = GuestHarness.execMarker(marker);
            String line = harness.out().awaitLine(l -> l.startsWith("EXEC "), "EXEC");
            assertTrue(line.contains(" pid=" + pid + " "), line + " should name pid " + pid);
            assertTrue(line.contains("filename=") && line.contains(marker), line);
            assertTrue(line.contains(" ppid=" + ProcessHandle.current().pid() + " "), line + " ppid");
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            harness.assertNothingLeft();
        }
    }

    @org.junit.jupiter.api.Test
    void aBurstOfTenThousandEventsReachesTheCallbackTenThousandTimesInOnePoll() throws Exception {
        try (GuestHarness harness = GuestHarness.start("burst")) {
            harness.awaitReady();
            GuestHarness.execMarker(GuestHarness.uniqueMarker("burst"));
            harness.sendLine("GO");
            String line = harness.out().awaitLine(l -> l.startsWith("POLL "), "POLL");
            assertEquals("POLL ret=10000 callbacks=10000 inorder=1", line);
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            harness.assertNothingLeft();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"close_in_callback", "close_in_perf_callback"})
    void pollingAgainOrClosingFromItsOwnCallbackIsSafe(String guest) throws Exception {
        try (GuestHarness harness = GuestHarness.start(guest)) {
            harness.awaitReady();
            for (int i = 0; i < 3; i++) {
                GuestHarness.execMarker(GuestHarness.uniqueMarker("closer"));
            }
            harness.sendLine("GO");
            harness.out().awaitLine("CLOSED"::equals, "CLOSED");
            List<String> lines = harness.out().lines();
            assertTrue(lines.contains("NESTED ret=-16"), "EBUSY for a poll of the map being polled: " + lines);
            assertTrue(lines.contains("CLOSE ret=0"), lines.toString());
            assertTrue(lines.contains("POLL ret=1 callbacks=1"), "no sample after the close: " + lines);
            assertTrue(lines.contains("AGAIN close=-22 poll=-22"), "the handle is gone: " + lines);
            harness.assertNothingLeft();
            harness.sendLine("END");
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
        }
    }
}
