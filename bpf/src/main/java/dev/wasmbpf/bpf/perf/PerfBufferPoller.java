package dev.wasmbpf.bpf.perf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.bpf.SamplePoller;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import dev.wasmbpf.bpf.internal.UpcallFailure;
import dev.wasmbpf.bpf.ringbuf.SampleHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map: one perf ring per possible CPU, fed by
 * {@code bpf_perf_event_output}.
 *
 * <p>Built on {@code perf_buffer__new_raw} rather than {@code perf_buffer__new}, because the raw
 * event callback can tell libbpf to stop after any record: when the handler returns a negative
 * value or throws, the records after it stay in their rings and are delivered first by the next
 * {@link #poll} — nothing is dropped silently. {@code PERF_RECORD_LOST} records (the kernel
 * overwrote nothing but had no room) are counted in {@link #lostSamples()}.
 *
 * <p>Use from one thread at a time. The poller does not own the map; close the poller before the
 * map's {@link dev.wasmbpf.bpf.BpfObject}.
 */
public final class PerfBufferPoller implements SamplePoller {
    /** From {@code include/uapi/linux/perf_event.h}. */
    private static final int PERF_TYPE_SOFTWARE = 1;

    private static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
    private static final long PERF_SAMPLE_RAW = 1L << 10;
    private static final int PERF_RECORD_LOST = 2;
    private static final int PERF_RECORD_SAMPLE = 9;
    /** {@code struct perf_event_attr}, first published version ({@link NativeLayouts#PERF_EVENT_ATTR_VER0}). */
    private static final StructLayout ATTR = NativeLayouts.PERF_EVENT_ATTR_VER0;

    private static final int PERF_ATTR_SIZE_VER0 = (int) ATTR.byteSize();
    private static final long ATTR_TYPE = NativeLayouts.offset(ATTR, "type");
    private static final long ATTR_SIZE = NativeLayouts.offset(ATTR, "size");
    private static final long ATTR_CONFIG = NativeLayouts.offset(ATTR, "config");
    private static final long ATTR_SAMPLE_PERIOD = NativeLayouts.offset(ATTR, "sample_period");
    private static final long ATTR_SAMPLE_TYPE = NativeLayouts.offset(ATTR, "sample_type");
    private static final long ATTR_WAKEUP_EVENTS = NativeLayouts.offset(ATTR, "wakeup_events");
    /** {@code struct perf_event_header} ({@link NativeLayouts#PERF_EVENT_HEADER}). */
    private static final long HEADER_SIZE_FIELD = NativeLayouts.offset(NativeLayouts.PERF_EVENT_HEADER, "size");

    private static final long HEADER_BYTES = NativeLayouts.PERF_EVENT_HEADER.byteSize();
    /** PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW: header, u32 size, data. */
    private static final long SAMPLE_SIZE_FIELD = 8;

    private static final long SAMPLE_DATA = 12;
    /** PERF_RECORD_LOST: header, u64 id, u64 lost. */
    private static final long LOST_COUNT_FIELD = 16;

    /** {@code enum bpf_perf_event_ret} in {@code /usr/include/bpf/libbpf.h}. */
    private static final int LIBBPF_PERF_EVENT_ERROR = -1;

    private static final int LIBBPF_PERF_EVENT_CONT = -2;

    private static final MethodHandle ON_EVENT;

    static {
        try {
            ON_EVENT = MethodHandles.lookup()
                    .findVirtual(
                            PerfBufferPoller.class,
                            "onEvent",
                            MethodType.methodType(int.class, MemorySegment.class, int.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String mapName;
    private final SampleHandler handler;
    private final Arena arena = Arena.ofShared();
    private final UpcallFailure failure = new UpcallFailure();
    private final AtomicBoolean closed = new AtomicBoolean();
    private MemorySegment perfBuffer = MemorySegment.NULL;
    private volatile long lostSamples;
    /**
     * Per-poll state, touched only by the polling thread. {@code sampleMemory} is all of the address space,
     * scoped to the poll in progress: records handed out are slices of it, so they die with the poll, and
     * only one restricted reinterpret is paid per poll rather than two per record.
     */
    private MemorySegment sampleMemory;
    /** close() was called by the handler: libbpf's buffer is freed once perf_buffer__poll has returned. */
    private boolean closeAfterPoll;

    private int delivered;
    private boolean stopped;
    private int stopValue;
    /** The last poll stopped early: records may wait in rings whose epoll readiness was consumed. */
    private boolean resumeWithConsume;

    private PerfBufferPoller(String mapName, SampleHandler handler) {
        this.mapName = mapName;
        this.handler = handler;
    }

    /**
     * Creates a poller over a loaded PERF_EVENT_ARRAY map with {@code pagesPerCpu} data pages
     * (a power of two) per CPU.
     *
     * @throws BpfException EINVAL when {@code map} is not a PERF_EVENT_ARRAY map or the page count
     *     is not a power of two, EBADF when the map is not loaded, or what libbpf reports
     */
    public static PerfBufferPoller create(BpfMap map, int pagesPerCpu, SampleHandler handler) throws BpfException {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(handler, "handler");
        Libbpf.ensureLoaded();
        MapType type = map.type();
        if (type != MapType.PERF_EVENT_ARRAY) {
            throw new BpfException(
                    "map '" + map.name() + "' is a " + type + " map, not a PERF_EVENT_ARRAY map", Errno.EINVAL);
        }
        if (pagesPerCpu <= 0 || Integer.bitCount(pagesPerCpu) != 1) {
            throw new BpfException(
                    "perf buffer pages per CPU must be a power of two, got " + pagesPerCpu, Errno.EINVAL);
        }
        int fd = map.fd();
        if (fd < 0) {
            throw new BpfException("map '" + map.name() + "' is not loaded", Errno.EBADF);
        }
        PerfBufferPoller poller = new PerfBufferPoller(map.name(), handler);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callback = Linker.nativeLinker()
                    .upcallStub(
                            ON_EVENT.bindTo(poller),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                            poller.arena);
            // The same attributes perf_buffer__new uses: one wakeup per bpf_perf_event_output record.
            MemorySegment attr = call.allocate(PERF_ATTR_SIZE_VER0, 8);
            attr.set(JAVA_INT, ATTR_TYPE, PERF_TYPE_SOFTWARE);
            attr.set(JAVA_INT, ATTR_SIZE, PERF_ATTR_SIZE_VER0);
            attr.set(JAVA_LONG, ATTR_CONFIG, PERF_COUNT_SW_BPF_OUTPUT);
            attr.set(JAVA_LONG, ATTR_SAMPLE_PERIOD, 1);
            attr.set(JAVA_LONG, ATTR_SAMPLE_TYPE, PERF_SAMPLE_RAW);
            attr.set(JAVA_INT, ATTR_WAKEUP_EVENTS, 1);
            MemorySegment state = CallState.allocate(call);
            var created = LibbpfLog.capture(() -> LibbpfCalls.perfBufferNewRaw(
                    state, fd, pagesPerCpu, attr, callback, MemorySegment.NULL, MemorySegment.NULL));
            if (created.result().equals(MemorySegment.NULL)) {
                int errno = CallState.errno(state);
                throw new BpfException(
                        "cannot create a perf buffer reader for map '" + map.name() + "': " + Errno.describe(errno)
                                + created.joined(),
                        errno);
            }
            poller.perfBuffer = created.result();
            return poller;
        } catch (BpfException | RuntimeException | Error e) {
            poller.arena.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMs} (negative: forever, 0: don't wait) for records on any CPU,
     * then hands every available sample to the handler.
     *
     * <p>If the handler throws, libbpf is told to stop after that sample and the exception (a
     * RuntimeException or Error, unchanged) is rethrown from here once libbpf has returned; the
     * records after it are delivered by the next poll, which then returns without waiting.
     *
     * @return the number of samples delivered to the handler in this call (not epoll events),
     *     the handler's negative return value when it stopped the poll, or a negative errno
     *     ({@code -EINTR} when interrupted by a signal)
     */
    @Override
    public int poll(int timeoutMs) {
        if (closed.get()) {
            throw new IllegalStateException("perf buffer poller of map '" + mapName + "' is closed");
        }
        if (sampleMemory != null) {
            throw new IllegalStateException("poll() called from its own sample handler");
        }
        delivered = 0;
        stopped = false;
        stopValue = 0;
        int rc;
        try (Arena scope = Arena.ofConfined()) {
            sampleMemory = MemorySegment.NULL.reinterpret(Long.MAX_VALUE, scope, null);
            rc = 0;
            if (resumeWithConsume) {
                resumeWithConsume = false;
                rc = LibbpfCalls.perfBufferConsume(perfBuffer);
            }
            if (!stopped && delivered == 0 && rc >= 0) {
                rc = LibbpfCalls.perfBufferPoll(perfBuffer, timeoutMs);
            }
        } finally {
            sampleMemory = null;
            LibbpfLog.muteCurrentThread(false);
            if (closeAfterPoll) {
                close();
            }
        }
        if (stopped) {
            resumeWithConsume = true;
        }
        failure.rethrowIfAny();
        if (stopped) {
            return stopValue;
        }
        return rc < 0 ? rc : delivered;
    }

    /** Cumulative count of samples the kernel reported lost ({@code PERF_RECORD_LOST}). */
    @Override
    public long lostSamples() {
        return lostSamples;
    }

    /**
     * Frees the reader, its perf events and its callback. Idempotent. Called from the handler, it takes effect
     * when the poll returns (libbpf is still inside the buffer), and the poll delivers nothing more; from
     * another thread it must not race a poll.
     */
    @Override
    public void close() {
        if (sampleMemory != null) {
            closeAfterPoll = true;
            return;
        }
        if (closed.compareAndSet(false, true)) {
            if (!perfBuffer.equals(MemorySegment.NULL)) {
                LibbpfCalls.perfBufferFree(perfBuffer);
            }
            arena.close();
        }
    }

    /**
     * The upcall ({@code perf_buffer_event_fn}). libbpf has already made the record contiguous.
     * Nothing may escape it.
     */
    private int onEvent(MemorySegment ctx, int cpu, MemorySegment header) {
        try {
            if (stopped) {
                return LIBBPF_PERF_EVENT_ERROR;
            }
            MemorySegment head = sampleMemory.asSlice(header.address(), HEADER_BYTES);
            int type = head.get(JAVA_INT_UNALIGNED, 0);
            long recordSize = Short.toUnsignedLong(head.get(JAVA_SHORT_UNALIGNED, HEADER_SIZE_FIELD));
            MemorySegment record = sampleMemory.asSlice(header.address(), recordSize);
            if (type == PERF_RECORD_LOST && recordSize >= LOST_COUNT_FIELD + 8) {
                lostSamples += record.get(JAVA_LONG_UNALIGNED, LOST_COUNT_FIELD);
                return LIBBPF_PERF_EVENT_CONT;
            }
            if (type != PERF_RECORD_SAMPLE || recordSize < SAMPLE_DATA) {
                return LIBBPF_PERF_EVENT_CONT;
            }
            long size = Math.min(
                    Integer.toUnsignedLong(record.get(JAVA_INT_UNALIGNED, SAMPLE_SIZE_FIELD)),
                    recordSize - SAMPLE_DATA);
            delivered++;
            int verdict = handler.onSample(record.asSlice(SAMPLE_DATA, size));
            if (verdict < 0) {
                stop(verdict);
                return LIBBPF_PERF_EVENT_ERROR;
            }
            if (closeAfterPoll) {
                stop(delivered);
                return LIBBPF_PERF_EVENT_ERROR;
            }
            return LIBBPF_PERF_EVENT_CONT;
        } catch (Throwable t) {
            failure.remember(t);
            stop(-1);
            return LIBBPF_PERF_EVENT_ERROR;
        }
    }

    private void stop(int value) {
        stopped = true;
        stopValue = value;
        // libbpf warns "error while processing records" about the stop we asked for: keep it quiet.
        LibbpfLog.muteCurrentThread(true);
    }
}
