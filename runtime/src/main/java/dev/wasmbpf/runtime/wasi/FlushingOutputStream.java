package dev.wasmbpf.runtime.wasi;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Flushes after every write: the guest already buffers by line, so each fd_write is a line (or a full
 * buffer) that must reach the caller's stream now, not when the module stops.
 */
final class FlushingOutputStream extends FilterOutputStream {
    FlushingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        // The caller owns the underlying stream (often System.out): flush, never close it.
        out.flush();
    }
}
