package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.SamplePoller;

/**
 * The poller of one ring-buffer or perf-buffer map, created on the first poll of an (object, map) pair and
 * kept until the object closes, with the {@link GuestCallback} its samples go to; each poll points that
 * callback at its own guest function, context and data buffer. A map is never polled from inside its own
 * poll (that is {@code -EBUSY}), so the callback's state belongs to one poll at a time.
 */
final class BufferPoller implements AutoCloseable {
    /** libbpf's per-CPU perf buffer size used by the upstream runtimes. */
    static final int PERF_BUFFER_PAGES = 64;

    private final SamplePoller reader;
    private final GuestCallback callback;
    private boolean polling;

    private BufferPoller(SamplePoller reader, GuestCallback callback) {
        this.reader = reader;
        this.callback = callback;
    }

    /**
     * Creates the poller for a map, delivering to {@code callback}; EINVAL when the map is neither a ring buffer
     * nor a perf event array.
     */
    static BufferPoller open(BpfMap map, GuestCallback callback) throws BpfException {
        return new BufferPoller(SamplePoller.open(map, PERF_BUFFER_PAGES, callback::accept), callback);
    }

    GuestCallback callback() {
        return callback;
    }

    /** Polls once for up to timeoutMs, handing every sample to the callback. Returns the reader's result. */
    int poll(int timeoutMs) {
        polling = true;
        try {
            return reader.poll(timeoutMs);
        } finally {
            polling = false;
        }
    }

    /** A poll of this map is in progress (the guest is in one of its callbacks). */
    boolean polling() {
        return polling;
    }

    long lostSamples() {
        return reader.lostSamples();
    }

    @Override
    public void close() {
        reader.close();
    }
}
