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
 */
final class CallBufferedOutputStream extends OutputStream {
    private static final int INITIAL_BYTES = 512;
    /** A guest that once wrote a huge buffer does not keep a huge array alive. */
    private static final int RETAINED_BYTES = 64 * 1024;

    private final OutputStream out;
    private byte[] pending = new byte[INITIAL_BYTES];
    private int count;

    CallBufferedOutputStream(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void write(int b) {
        reserve(1);
        pending[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        reserve(len);
        System.arraycopy(b, off, pending, count, len);
        count += len;
    }

    private void reserve(int len) {
        int needed = count + len;
        if (needed < 0) {
            throw new OutOfMemoryError("one fd_write of more than 2 GiB");
        }
        if (needed > pending.length) {
            byte[] larger = new byte[Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8L, pending.length * 2L))];
            System.arraycopy(pending, 0, larger, 0, count);
            pending = larger;
        }
    }

    /** Writes and flushes what the call wrote to the caller's stream; nothing when it wrote nothing. */
    void endCall() throws IOException {
        if (count == 0) {
            return;
        }
        try {
            out.write(pending, 0, count);
            out.flush();
        } finally {
            count = 0;
            if (pending.length > RETAINED_BYTES) {
                pending = new byte[INITIAL_BYTES];
            }
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
