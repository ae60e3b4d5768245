package dev.wasmbpf.daemon;

import dev.wasmbpf.runtime.RunningModule;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One module the daemon runs, with a bounded buffer of its recent output (a slow reader never blocks the guest). */
final class ManagedModule {
    static final int LOG_CAPACITY = 256 * 1024;

    final String id;
    final String name;
    final String source;
    final Instant started = Instant.now();
    final OutputLog log = new OutputLog(LOG_CAPACITY);
    RunningModule running;

    ManagedModule(String id, String name, String source) {
        this.id = id;
        this.name = name;
        this.source = source;
    }

    String state() {
        if (running.isDone()) return "exited";
        if (running.isPaused()) return "paused";
        return running.isReady() ? "running" : "starting";
    }

    Map<String, Object> summary() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", name);
        body.put("source", source);
        body.put("state", state());
        body.put("started", started.toString());
        body.put("droppedOutputBytes", log.dropped());
        return body;
    }

    /** Keeps the last {@code capacity} bytes written; older bytes are dropped and counted. */
    static final class OutputLog extends OutputStream {
        private final byte[] ring;
        private long written;

        OutputLog(int capacity) {
            ring = new byte[capacity];
        }

        @Override
        public synchronized void write(int b) {
            ring[(int) (written++ % ring.length)] = (byte) b;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                ring[(int) (written++ % ring.length)] = b[off + i];
            }
        }

        synchronized long dropped() {
            return Math.max(0, written - ring.length);
        }

        synchronized String text() {
            int kept = (int) Math.min(written, ring.length);
            byte[] out = new byte[kept];
            for (int i = 0; i < kept; i++) {
                out[i] = ring[(int) ((written - kept + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
