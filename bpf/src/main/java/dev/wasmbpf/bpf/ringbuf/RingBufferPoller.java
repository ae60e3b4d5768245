package dev.wasmbpf.bpf.ringbuf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.UpcallFailure;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a {@code BPF_MAP_TYPE_RINGBUF} map with libbpf's {@code ring_buffer} (epoll on the map
 * fd, samples read in place from the shared mapping).
 *
 * <p>Use from one thread at a time. The poller does not own the map; close the poller before the
 * map's {@link dev.wasmbpf.bpf.BpfObject}.
 */
public final class RingBufferPoller implements AutoCloseable {
    private static final MethodHandle ON_SAMPLE;

    static {
        try {
            ON_SAMPLE = MethodHandles.lookup().findVirtual(RingBufferPoller.class, "onSample",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String mapName;
    private final SampleHandler handler;
    private final Arena arena = Arena.ofShared();
    private final UpcallFailure failure = new UpcallFailure();
    private final AtomicBoolean closed = new AtomicBoolean();
    private MemorySegment ringBuffer = MemorySegment.NULL;
    /** Scope of the samples of the poll in progress: they die when poll returns. */
    private Arena sampleScope;

    private RingBufferPoller(String mapName, SampleHandler handler) {
        this.mapName = mapName;
        this.handler = handler;
    }

    /**
     * Creates a poller over a loaded RINGBUF map.
     *
     * @throws BpfException EINVAL when {@code map} is not a RINGBUF map, EBADF when it is not
     *     loaded, or what {@code ring_buffer__new} reports
     */
    public static RingBufferPoller create(BpfMap map, SampleHandler handler) throws BpfException {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(handler, "handler");
        Libbpf.ensureLoaded();
        MapType type = map.type();
        if (type != MapType.RINGBUF) {
            throw new BpfException("map '" + map.name() + "' is a " + type + " map, not a RINGBUF map", Errno.EINVAL);
        }
        int fd = map.fd();
        if (fd < 0) {
            throw new BpfException("map '" + map.name() + "' is not loaded", Errno.EBADF);
        }
        RingBufferPoller poller = new RingBufferPoller(map.name(), handler);
        try {
            MemorySegment callback = Linker.nativeLinker().upcallStub(ON_SAMPLE.bindTo(poller),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), poller.arena);
            MemorySegment state = CallState.allocate(poller.arena);
            var created = LibbpfLog.capture(
                    () -> LibbpfCalls.ringBufferNew(state, fd, callback, MemorySegment.NULL, MemorySegment.NULL));
            if (created.result().equals(MemorySegment.NULL)) {
                int errno = CallState.errno(state);
                throw new BpfException("cannot create a ring buffer reader for map '" + map.name() + "': "
                        + Errno.describe(errno) + created.joined(), errno);
            }
            poller.ringBuffer = created.result();
            return poller;
        } catch (BpfException | RuntimeException | Error e) {
            poller.arena.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMs} (negative: forever, 0: don't wait) for samples, then hands
     * every available sample to the handler in order.
     *
     * <p>If the handler throws, libbpf is told to stop at that sample and the exception (a
     * RuntimeException or Error, unchanged) is rethrown from here once libbpf has returned; the
     * samples after it stay in the ring for the next poll.
     *
     * @return the number of samples delivered (>= 0), the handler's negative return value when
     *     it stopped the poll, or a negative errno ({@code -EINTR} when interrupted by a signal)
     */
    public int poll(int timeoutMs) {
        if (closed.get()) {
            throw new IllegalStateException("ring buffer poller of map '" + mapName + "' is closed");
        }
        if (sampleScope != null) {
            throw new IllegalStateException("poll() called from its own sample handler");
        }
        int result;
        try (Arena scope = Arena.ofConfined()) {
            sampleScope = scope;
            result = LibbpfCalls.ringBufferPoll(ringBuffer, timeoutMs);
        } finally {
            sampleScope = null;
        }
        failure.rethrowIfAny();
        return result;
    }

    /** Frees the reader and its callback. Idempotent; must not race a poll in progress. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (!ringBuffer.equals(MemorySegment.NULL)) {
                LibbpfCalls.ringBufferFree(ringBuffer);
            }
            arena.close();
        }
    }

    /** The upcall ({@code ring_buffer_sample_fn}): nothing may escape it. */
    private int onSample(MemorySegment ctx, MemorySegment data, long size) {
        try {
            return handler.onSample(data.reinterpret(size, sampleScope, null));
        } catch (Throwable t) {
            failure.remember(t);
            return -1;
        }
    }
}
