package dev.wasmbpf.bpf.ringbuf;

import static dev.wasmbpf.bpf.internal.LibcCalls.MAP_FAILED;
import static dev.wasmbpf.bpf.internal.LibcCalls.MAP_SHARED;
import static dev.wasmbpf.bpf.internal.LibcCalls.PROT_READ;
import static dev.wasmbpf.bpf.internal.LibcCalls.PROT_WRITE;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibcCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The shared mappings of a {@code BPF_MAP_TYPE_RINGBUF} map, laid out as {@code kernel/bpf/ringbuf.c}
 * exposes them to user space: a read-write page whose first word is {@code consumer_pos}, then a
 * read-only page whose first word is {@code producer_pos}, followed by the data area mapped twice in a
 * row, so that a record running past the end of the area is still contiguous in memory.
 *
 * <p>Positions only grow; a position's offset in the data area is {@code position & mask()}.
 * Unmapped when closed; every view of it throws {@link IllegalStateException} from then on.
 */
final class RingMapping implements AutoCloseable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Arena arena;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long mask;

    private RingMapping(
            Arena arena, MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long mask) {
        this.arena = arena;
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data;
        this.mask = mask;
    }

    /**
     * Maps the ring of map {@code fd}, whose {@code max_entries} ({@code dataSize}) is the size of its
     * data area in bytes.
     *
     * @throws BpfException EINVAL when {@code dataSize} is not a power-of-2 multiple of the page size
     *     (the kernel refuses such maps), or the errno of a failing {@code mmap}
     */
    static RingMapping map(String mapName, int fd, int dataSize) throws BpfException {
        long page = LibcCalls.sysconf(LibcCalls.SC_PAGESIZE);
        if (dataSize <= 0 || Integer.bitCount(dataSize) != 1 || dataSize % page != 0) {
            throw new BpfException(
                    "ring buffer map '" + mapName + "' has a data size of " + dataSize
                            + " bytes, not a power-of-2 multiple of the " + page + "-byte page",
                    Errno.EINVAL);
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment state = CallState.allocate(arena);
            MemorySegment consumer =
                    mapShared(state, arena, fd, page, PROT_READ | PROT_WRITE, 0, mapName, "consumer page");
            long producerLength = page + 2L * dataSize;
            MemorySegment producer =
                    mapShared(state, arena, fd, producerLength, PROT_READ, page, mapName, "producer page and data");
            return new RingMapping(arena, consumer, producer, producer.asSlice(page, 2L * dataSize), dataSize - 1L);
        } catch (BpfException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment mapShared(
            MemorySegment state,
            Arena arena,
            int fd,
            long length,
            int protection,
            long offset,
            String mapName,
            String what)
            throws BpfException {
        MemorySegment at = LibcCalls.mmap(state, length, protection, MAP_SHARED, fd, offset);
        if (at.address() == MAP_FAILED) {
            int errno = CallState.errno(state);
            throw new BpfException(
                    "cannot map the " + what + " of ring buffer map '" + mapName + "': " + Errno.describe(errno),
                    errno);
        }
        return at.reinterpret(length, arena, unmapped -> LibcCalls.munmap(unmapped, length));
    }

    /** Where the consumer (us) is; only we write it. */
    long consumerPosition() {
        return (long) LONG.get(consumerPage, 0L);
    }

    /** Tells the kernel that everything before {@code position} is consumed and its space free. */
    void consumerPosition(long position) {
        LONG.setRelease(consumerPage, 0L, position);
    }

    /** Where the producer (the kernel) is: records before it are reserved, committed or not. */
    long producerPosition() {
        return (long) LONG.getAcquire(producerPage, 0L);
    }

    /** The first word of the record header at {@code position}: its length and the busy/discard bits. */
    int header(long position) {
        return (int) INT.getAcquire(data, position & mask);
    }

    /** The data area, mapped twice: {@code 2 × (mask + 1)} bytes. */
    MemorySegment data() {
        return data;
    }

    long mask() {
        return mask;
    }

    @Override
    public void close() {
        arena.close();
    }
}
