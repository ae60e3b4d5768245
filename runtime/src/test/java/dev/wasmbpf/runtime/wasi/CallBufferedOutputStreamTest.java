package dev.wasmbpf.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallBufferedOutputStreamTest {
    /** Records the length of each write the caller's stream receives, and its flushes. */
    private static final class Recorder extends OutputStream {
        final List<Integer> writes = new ArrayList<>();
        int flushes;

        @Override
        public void write(int b) {
            writes.add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void whatOneCallWritesArrivesAsOneWriteWhenTheCallEnds() throws IOException {
        Recorder recorder = new Recorder();
        CallBufferedOutputStream stream = new CallBufferedOutputStream(recorder);
        stream.write(new byte[40]);
        stream.write(new byte[1]);
        assertEquals(List.of(), recorder.writes, "nothing before the call ends");
        stream.endCall();
        assertEquals(List.of(41), recorder.writes);
        assertEquals(1, recorder.flushes);
        stream.endCall();
        assertEquals(1, recorder.flushes, "a call that wrote nothing flushes nothing");
    }

    @Test
    void aHugeWriteGoesStraightThroughAfterWhatWasHeld() throws IOException {
        Recorder recorder = new Recorder();
        CallBufferedOutputStream stream = new CallBufferedOutputStream(recorder);
        stream.write(new byte[10]);
        stream.write(new byte[CallBufferedOutputStream.MAX_HELD_BYTES]);
        assertEquals(
                List.of(10, CallBufferedOutputStream.MAX_HELD_BYTES), recorder.writes, "held bytes first, in order");
        stream.write(new byte[5]);
        stream.endCall();
        assertEquals(List.of(10, CallBufferedOutputStream.MAX_HELD_BYTES, 5), recorder.writes);
        assertEquals(1, recorder.flushes);
    }
}
