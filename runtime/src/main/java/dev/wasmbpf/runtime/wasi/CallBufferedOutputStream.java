package dev.wasmbpf.runtime.wasi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Holds what one {@code fd_write} writes and hands it to the caller's stream in one piece when the call
 * returns ({@link #endCall()}). wasi-libc passes a line as two iovecs (what its FILE buffer held, then
 * the rest up to the newline) and Chicory writes each iovec on its own: flushed one by one, that made two
 * {@code write(2)} calls per line where native code makes one. Nothing stays here once the call is over,
 * so output still appears line by line, and nothing is lost when the module is stopped.
 *
 * <p>At most {@link #MAX_HELD_BYTES} are held: a larger write goes straight through (after what was held),
 * so a guest writing a huge buffer does not make the host keep a second copy of it.
 */
final class CallBufferedOutputStream extends OutputStream {
    static final int MAX_HELD_BYTES = 64 * 1024;
    private static final int INITIAL_BYTES = 512;

    private final OutputStream out;
    private byte[] held = new byte[INITIAL_BYTES];
    private int count;
    private boolean wroteThrough;

    CallBufferedOutputStream(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > MAX_HELD_BYTES - count) {
            handOverHeld();
            out.write(b, off, len);
            wroteThrough = true;
            return;
        }
        if (count + len > held.length) {
            byte[] larger = new byte[Math.min(MAX_HELD_BYTES, Math.max(count + len, held.length * 2))];
            System.arraycopy(held, 0, larger, 0, count);
            held = larger;
        }
        System.arraycopy(b, off, held, count, len);
        count += len;
    }

    private void handOverHeld() throws IOException {
        if (count > 0) {
            try {
                out.write(held, 0, count);
            } finally {
                count = 0;
            }
            wroteThrough = true;
        }
    }

    /** Writes and flushes what the call wrote to the caller's stream; nothing when it wrote nothing. */
    void endCall() throws IOException {
        handOverHeld();
        if (wroteThrough) {
            wroteThrough = false;
            out.flush();
        }
    }

    @Override
    public void flush() throws IOException {
        endCall();
    }

    /** The caller owns the underlying stream (often System.out): hand over what is left, never close it. */
    @Override
    public void close() throws IOException {
        endCall();
    }
}
