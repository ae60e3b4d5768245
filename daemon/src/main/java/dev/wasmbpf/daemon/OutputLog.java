package dev.wasmbpf.daemon;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A module's stdout and stderr: the last {@code capacity} bytes, addressed by their offset in everything the guest
 * ever wrote. The guest's writes only copy into the ring (never wait for a reader); a reader that falls more than
 * {@code capacity} behind learns how many bytes it missed ({@link Chunk#dropped()}) instead of slowing the guest.
 */
final class OutputLog extends OutputStream {
    /**
     * Bytes read from the log.
     *
     * @param dropped bytes between the offset asked for and the first byte still kept (overwritten before read)
     * @param bytes the bytes read
     * @param next the offset to read from next
     */
    record Chunk(long dropped, byte[] bytes, long next) {}

    private final byte[] ring;
    private long written;
    private boolean ended;
    /** nanoTime of the first write since the log was made or reopened; 0 before it (read by the startup timeline). */
    private long firstWriteNanos;

    OutputLog(int capacity) {
        ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        if (ended) {
            return;
        }
        noteFirstWrite();
        ring[(int) (written++ % ring.length)] = (byte) b;
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (ended || len == 0) {
            return;
        }
        noteFirstWrite();
        for (int i = 0; i < len; i++) {
            ring[(int) (written++ % ring.length)] = b[off + i];
        }
        notifyAll();
    }

    /** The module ended: readers waiting for more get what is left and then the end. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** A restart's run writes on: the log continues (offsets keep counting) and readers may follow again. */
    synchronized void reopen() {
        ended = false;
        firstWriteNanos = 0;
    }

    private void noteFirstWrite() {
        if (firstWriteNanos == 0) {
            firstWriteNanos = System.nanoTime();
        }
    }

    /** When the first byte since the log was made or reopened was written (nanoTime), 0 while none was. */
    synchronized long firstWriteNanos() {
        return firstWriteNanos;
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized long written() {
        return written;
    }

    /** Bytes no longer kept: written before the last {@code capacity}. */
    synchronized long dropped() {
        return Math.max(0, written - ring.length);
    }

    /** The offset of the oldest byte still kept. */
    synchronized long first() {
        return dropped();
    }

    /** Up to {@code max} bytes from offset {@code from}, without waiting. */
    synchronized Chunk read(long from, int max) {
        long first = first();
        long start = Math.max(from, first);
        int length = (int) Math.min(max, Math.max(0, written - start));
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new Chunk(start - Math.min(from, start), out, start + length);
    }

    /** As {@link #read}, waiting up to {@code millis} for bytes after {@code from} unless the module ended. */
    synchronized Chunk await(long from, int max, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (written <= from && !ended) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return read(from, max);
    }

    /** Everything kept, with a first line saying what was dropped before it. */
    String text() {
        Chunk all;
        synchronized (this) {
            all = read(0, ring.length);
        }
        String kept = new String(all.bytes(), StandardCharsets.UTF_8);
        return all.dropped() > 0 ? droppedLine(all.dropped()) + kept : kept;
    }

    static String droppedLine(long dropped) {
        return "[wasm-bpf daemon: " + dropped + " bytes of output dropped]\n";
    }
}
