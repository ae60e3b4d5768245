package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.perf.PerfBufferPoller;
import dev.wasmbpf.bpf.ringbuf.RingBufferPoller;
import dev.wasmbpf.bpf.ringbuf.SampleHandler;

/**
 * The reader of one buffer map, whichever of the kernel's two kinds it is: a {@link RingBufferPoller} for a
 * {@code BPF_MAP_TYPE_RINGBUF}, a {@link PerfBufferPoller} for a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}. A guest's
 * {@code bpf_buffer__poll} does not know which it has, so the runtime holds this type; both readers keep the same
 * contract (the handler's negative return stops a poll and is its result, an exception is rethrown unchanged, a
 * sample is valid only during its call, closing from the handler takes effect when the poll returns), tested once
 * for both in {@code SamplePollerTest}.
 *
 * <p>Not sealed on purpose: the two readers live in their own packages, and a sealed type's subclasses must share
 * its package when the classes run on the class path (the CLI's shaded jar).
 */
public interface SamplePoller extends AutoCloseable {
    /**
     * Hands the samples waiting in the buffer to the handler; waits up to {@code timeoutMs} (negative: forever,
     * 0: not at all) when there are none.
     *
     * @return the samples delivered (>= 0), the handler's negative return when it stopped the poll, or a negative
     *     errno ({@code -EINTR} when a signal interrupted the wait)
     */
    int poll(int timeoutMs);

    /** Samples the kernel reported lost; a ring buffer's producer fails instead of losing, so 0 for one. */
    default long lostSamples() {
        return 0;
    }

    /** Frees the reader. Idempotent; called from the handler it takes effect when the poll returns. */
    @Override
    void close();

    /**
     * The reader for {@code map}, by its type: a ring buffer, or a perf event array with {@code perfPagesPerCpu}
     * pages per CPU (a power of two).
     *
     * @throws BpfException EINVAL when the map is neither kind, or the page count is not a power of two
     */
    static SamplePoller open(BpfMap map, int perfPagesPerCpu, SampleHandler handler) throws BpfException {
        return switch (map.type()) {
            case RINGBUF -> RingBufferPoller.create(map, handler);
            case PERF_EVENT_ARRAY -> PerfBufferPoller.create(map, perfPagesPerCpu, handler);
            default ->
                throw new BpfException(
                        "map " + map.name() + " is a " + map.type() + ", not a RINGBUF or PERF_EVENT_ARRAY",
                        Errno.EINVAL);
        };
    }
}
