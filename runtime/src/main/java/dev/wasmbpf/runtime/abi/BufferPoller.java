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
 * kept until the object closes. libbpf's callback is bound once at creation, so each poll points it at that
 * call's {@link SampleSink} (the guest callback, its context and data buffer).
 */
final class BufferPoller implements AutoCloseable {
    /** libbpf's per-CPU perf buffer size used by the upstream runtimes. */
    static final int PERF_BUFFER_PAGES = 64;

    private final IntUnaryOperator pollFunction;
    private final AutoCloseable resource;
    private final LostSampleCounter lostSamples;
    private SampleSink sink = sample -> 0;
    private boolean polling;

    private BufferPoller(IntUnaryOperator pollFunction, AutoCloseable resource, LostSampleCounter lostSamples) {
        this.pollFunction = pollFunction;
        this.resource = resource;
        this.lostSamples = lostSamples;
    }

    /** Creates the poller for a map; EINVAL when the map is neither a ring buffer nor a perf event array. */
    static BufferPoller open(BpfMap map) throws BpfException {
        BufferPoller[] self = new BufferPoller[1];
        if (map.type() == MapType.RINGBUF) {
            RingBufferPoller ring = RingBufferPoller.create(map, sample -> self[0].sink.accept(sample));
            self[0] = new BufferPoller(ring::poll, ring, () -> 0);
        } else if (map.type() == MapType.PERF_EVENT_ARRAY) {
            PerfBufferPoller perf =
                    PerfBufferPoller.create(map, PERF_BUFFER_PAGES, sample -> self[0].sink.accept(sample));
            self[0] = new BufferPoller(perf::poll, perf, perf::lostSamples);
        } else {
            throw new BpfException(
                    "map " + map.name() + " is a " + map.type() + ", not a RINGBUF or PERF_EVENT_ARRAY",
                    Errno.EINVAL);
        }
        return self[0];
    }

    /** Polls once for up to timeoutMs, handing every sample to sink. Returns the reader's result. */
    int poll(SampleSink sink, int timeoutMs) {
        this.sink = sink;
        polling = true;
        try {
            return pollFunction.applyAsInt(timeoutMs);
        } finally {
            polling = false;
            this.sink = sample -> 0;
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
