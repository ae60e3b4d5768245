package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-module output ring: what is kept, what a slow reader is told it lost, and that writers never wait. */
class OutputLogTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void keepsTheLastCapacityBytesAndSaysHowManyWereDropped() {
        OutputLog log = new OutputLog(8);
        log.write(bytes("0123456789abc"), 0, 13);
        assertEquals(5, log.dropped());
        assertEquals(13, log.written());
        assertEquals(OutputLog.droppedLine(5) + "56789abc", log.text());
    }

    @Test
    void aReaderThatFellBehindGetsTheCountItMissedThenTheBytesStillKept() {
        OutputLog log = new OutputLog(8);
        log.write(bytes("0123"), 0, 4);
        OutputLog.Chunk first = log.read(0, 100);
        assertEquals(0, first.dropped());
        assertArrayEquals(bytes("0123"), first.bytes());
        log.write(bytes("456789abcdef"), 0, 12); // the reader is at 4; the ring now holds 8..15
        OutputLog.Chunk behind = log.read(first.next(), 100);
        assertEquals(4, behind.dropped());
        assertArrayEquals(bytes("89abcdef"), behind.bytes());
        assertEquals(16, behind.next());
        assertEquals(0, log.read(behind.next(), 100).bytes().length);
    }

    @Test
    void aWaitingReaderWakesOnOutputAndOnTheEndAndNeverHoldsUpTheWriter() throws Exception {
        OutputLog log = new OutputLog(4);
        CompletableFuture<OutputLog.Chunk> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(0, 100, TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // The writer goes far past the ring while a reader waits: it only copies, it does not wait for the reader.
        for (int i = 0; i < 1000; i++) {
            log.write(bytes("xy"), 0, 2);
        }
        OutputLog.Chunk woken = waiting.get(1, TimeUnit.MINUTES);
        assertTrue(woken.bytes().length > 0 || woken.dropped() > 0, "woken by output");
        CompletableFuture<OutputLog.Chunk> atEnd = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(log.written(), 100, TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        log.end();
        assertEquals(0, atEnd.get(1, TimeUnit.MINUTES).bytes().length);
        assertTrue(log.ended());
        log.write(bytes("late"), 0, 4);
        assertEquals(2000, log.written(), "nothing is kept after the end");
    }
}
