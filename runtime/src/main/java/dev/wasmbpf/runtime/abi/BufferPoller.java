package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.bpf.perf.PerfBufferPoller;
import dev.wasmbpf.bpf.ringbuf.RingBufferPoller;
import java.util.function.IntUnaryOperator;

/**
 * The poller of one ring-buffer or perf-buffer map, created on the first poll of an (object, map) pair and
 * kept until the object closes, with the {@link GuestCallback} its samples go to; each poll points that
 * callback at its own guest function, context and data buffer. A map is never polled from inside its own
 * poll (that is {@code -EBUSY}), so the callback's state belongs to one poll at a time.
 */
final class BufferPoller implements AutoCloseable {
    /** libbpf's per-CPU perf buffer size used by the upstream runtimes. */
    static final int PERF_BUFFER_PAGES = 64;

    private final IntUnaryOperator pollFunction;
    private final AutoCloseable resource;
    private final LostSampleCounter lostSamples;
    private final GuestCallback callback;
    private boolean polling;

    private BufferPoller(IntUnaryOperator pollFunction, AutoCloseable resource, LostSampleCounter lostSamples,
            GuestCallback callback) {
        this.pollFunction = pollFunction;
        this.resource = resource;
        this.lostSamples = lostSamples;
        this.callback = callback;
    }

    /**
     * Creates the poller for a map, delivering to {@code callback}; EINVAL when the map is neither a ring buffer
     * nor a perf event array.
     */
    static BufferPoller open(BpfMap map, GuestCallback callback) throws BpfException {
        if (map.type() == MapType.RINGBUF) {
            RingBufferPoller ring = RingBufferPoller.create(map, callback::accept);
            return new BufferPoller(ring::poll, ring, () -> 0, callback);
        }
        if (map.type() == MapType.PERF_EVENT_ARRAY) {
            PerfBufferPoller perf = PerfBufferPoller.create(map, PERF_BUFFER_PAGES, callback::accept);
            return new BufferPoller(perf::poll, perf, perf::lostSamples, callback);
        }
        throw new BpfException("map " + map.name() + " is a " + map.type() + ", not a RINGBUF or PERF_EVENT_ARRAY",
                Errno.EINVAL);
    }

    GuestCallback callback() {
        return callback;
    }

    /** Polls once for up to timeoutMs, handing every sample to the callback. Returns the reader's result. */
    int poll(int timeoutMs) {
        polling = true;
        try {
            return pollFunction.applyAsInt(timeoutMs);
        } finally {
            polling = false;
        }
    }

    /** A poll of this map is in progress (the guest is in one of its callbacks). */
    boolean polling() {
        return polling;
    }

    long lostSamples() {
        return lostSamples.get();
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing buffer poller failed", e);
        }
    }

    @FunctionalInterface
    private interface LostSampleCounter {
        long get();
    }
}
