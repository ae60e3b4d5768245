package dev.wasmbpf.bpf.ringbuf;

import static dev.wasmbpf.bpf.internal.LibcCalls.EPOLLIN;
import static dev.wasmbpf.bpf.internal.LibcCalls.EPOLL_CLOEXEC;
import static dev.wasmbpf.bpf.internal.LibcCalls.EPOLL_CTL_ADD;
import static dev.wasmbpf.bpf.internal.LibcCalls.EPOLL_EVENT_BYTES;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.bpf.SamplePoller;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibcCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a {@code BPF_MAP_TYPE_RINGBUF} map in Java, the way libbpf's {@code ring_buffer} does in C:
 * the ring is mapped into this process ({@link RingMapping}), {@code epoll} waits on the map fd, and
 * records are read in place and handed to the handler in order. No upcall per sample, no copy: the
 * handler sees the kernel's bytes.
 *
 * <p>Use from one thread at a time. The poller does not own the map; close the poller before the
 * map's {@link dev.wasmbpf.bpf.BpfObject}.
 */
public final class RingBufferPoller implements SamplePoller {
    /** From {@code include/uapi/linux/bpf.h}: the record is still being written. */
    private static final int BUSY_BIT = 1 << 31;
    /** The producer gave the record up ({@code bpf_ringbuf_discard}): skip it. */
    private static final int DISCARD_BIT = 1 << 30;
    /** {@code BPF_RINGBUF_HDR_SZ}: {@code struct bpf_ringbuf_hdr { u32 len; u32 pg_off; }}. */
    private static final int HEADER_BYTES = 8;

    private final String mapName;
    private final SampleHandler handler;
    private final RingMapping ring;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = CallState.allocate(arena);
    private final MemorySegment readyEvent = arena.allocate(EPOLL_EVENT_BYTES);
    private final AtomicBoolean closed = new AtomicBoolean();
    private int epollFd = -1;
    private boolean polling;
    /** close() was called by the handler: the ring is unmapped once the poll has stopped reading it. */
    private boolean closeAfterPoll;

    private RingBufferPoller(String mapName, SampleHandler handler, RingMapping ring) {
        this.mapName = mapName;
        this.handler = handler;
        this.ring = ring;
    }

    /**
     * Creates a poller over a loaded RINGBUF map.
     *
     * @throws BpfException EINVAL when {@code map} is not a RINGBUF map, EBADF when it is not
     *     loaded, or the errno of mapping the ring or setting up epoll
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
        RingBufferPoller poller =
                new RingBufferPoller(map.name(), handler, RingMapping.map(map.name(), fd, map.maxEntries()));
        try {
            poller.watch(fd);
            return poller;
        } catch (BpfException | RuntimeException | Error e) {
            poller.close();
            throw e;
        }
    }

    private void watch(int mapFd) throws BpfException {
        epollFd = LibcCalls.epollCreate1(state, EPOLL_CLOEXEC);
        if (epollFd < 0) {
            throw failure("epoll_create1", CallState.errno(state));
        }
        MemorySegment event = arena.allocate(EPOLL_EVENT_BYTES);
        event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
        if (LibcCalls.epollCtl(state, epollFd, EPOLL_CTL_ADD, mapFd, event) < 0) {
            throw failure("epoll_ctl", CallState.errno(state));
        }
    }

    private BpfException failure(String call, int errno) {
        return new BpfException(
                "cannot watch ring buffer map '" + mapName + "': " + call + ": " + Errno.describe(errno), errno);
    }

    /**
     * Hands every sample already in the ring to the handler, in order; when there was none, waits up to
     * {@code timeoutMs} (negative: forever, 0: don't wait) for more and hands those over.
     *
     * <p>If the handler throws, the poll stops after that sample and the exception (a RuntimeException
     * or Error, unchanged) propagates; the samples after it stay in the ring for the next poll.
     *
     * @return the number of samples delivered (>= 0), the handler's negative return value when
     *     it stopped the poll, or a negative errno ({@code -EINTR} when interrupted by a signal)
     */
    @Override
    public int poll(int timeoutMs) {
        if (closed.get()) {
            throw new IllegalStateException("ring buffer poller of map '" + mapName + "' is closed");
        }
        if (polling) {
            throw new IllegalStateException("poll() called from its own sample handler");
        }
        polling = true;
        // The samples handed out are views of this scope: they die when poll returns.
        try (Arena scope = Arena.ofConfined()) {
            MemorySegment data = ring.data().reinterpret(scope, null);
            int delivered = consume(data);
            if (delivered != 0) {
                return delivered;
            }
            if (LibcCalls.epollWait(state, epollFd, readyEvent, 1, timeoutMs) < 0) {
                return -CallState.errno(state);
            }
            return consume(data);
        } finally {
            polling = false;
            if (closeAfterPoll) {
                close();
            }
        }
    }

    /** Reads records up to the producer, as libbpf's ringbuf_process_ring does; same result as poll. */
    private int consume(MemorySegment data) {
        long consumer = ring.consumerPosition();
        int delivered = 0;
        try {
            long producer;
            while (Long.compareUnsigned(consumer, producer = ring.producerPosition()) < 0) {
                do {
                    int header = ring.header(consumer);
                    if ((header & BUSY_BIT) != 0) {
                        return delivered;
                    }
                    int length = header & ~(BUSY_BIT | DISCARD_BIT);
                    long record = consumer;
                    consumer += (length + HEADER_BYTES + 7L) & ~7L;
                    if ((header & DISCARD_BIT) == 0) {
                        int result = handler.onSample(data.asSlice((record + HEADER_BYTES) & ring.mask(), length));
                        if (result < 0) {
                            return result;
                        }
                        if (delivered < Integer.MAX_VALUE) {
                            delivered++;
                        }
                        if (closeAfterPoll) {
                            return delivered;
                        }
                    }
                    // Per record, as libbpf does: the kernel can reuse the space while we go on.
                    ring.consumerPosition(consumer);
                } while (Long.compareUnsigned(consumer, producer) < 0);
            }
            return delivered;
        } finally {
            ring.consumerPosition(consumer);
        }
    }

    /**
     * Unmaps the ring and closes the epoll fd. Idempotent. Called from the handler, it takes effect when the
     * poll returns, and the poll delivers nothing more; from another thread it must not race a poll.
     */
    @Override
    public void close() {
        if (polling) {
            closeAfterPoll = true;
            return;
        }
        if (closed.compareAndSet(false, true)) {
            if (epollFd >= 0) {
                LibcCalls.close(epollFd);
            }
            arena.close();
            ring.close();
        }
    }
}
