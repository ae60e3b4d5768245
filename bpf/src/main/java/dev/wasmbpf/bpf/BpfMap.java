package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import java.lang.foreign.MemorySegment;

/**
 * A map of a {@link BpfObject}. Metadata reads libbpf's view of the map; the element operations
 * are the hot path of a guest's {@code wasm_bpf_map_operate} and so never throw and never
 * allocate: they return 0 or a negative Linux errno.
 *
 * <p>Element operations accept native segments and heap segments (e.g.
 * {@code MemorySegment.ofArray(guestMemory).asSlice(offset, length)}); they check that each
 * buffer is large enough for what the kernel will read or write, and return {@code -EINVAL} when
 * it is not, so the kernel never touches memory outside the segments.
 */
public final class BpfMap {
    private static final Geometry NOT_LOADED = new Geometry(-1, 0, 0);

    /** What the hot path needs, fixed once the map exists in the kernel. */
    private record Geometry(int fd, int keySize, int valueBufferSize) {}

    private final BpfObject owner;
    private final MemorySegment handle;
    private final String name;
    private final boolean internal;
    private volatile Geometry geometry = NOT_LOADED;

    BpfMap(BpfObject owner, MemorySegment handle) {
        this.owner = owner;
        this.handle = handle;
        this.name = LibbpfCalls.mapName(handle).reinterpret(Long.MAX_VALUE).getString(0);
        this.internal = LibbpfCalls.mapIsInternal(handle);
    }

    /** libbpf's map name: the C variable name, or e.g. {@code "minimal_.rodata"} for internal maps. */
    public String name() {
        return name;
    }

    /** Whether libbpf made this map for a global-data section ({@code .rodata}, {@code .data}, ...). */
    public boolean isInternal() {
        return internal;
    }

    /** The map fd, or a negative errno before load. */
    public int fd() {
        owner.ensureOpen();
        return LibbpfCalls.mapFd(handle);
    }

    public MapType type() {
        owner.ensureOpen();
        return MapType.of(LibbpfCalls.mapType(handle));
    }

    public int keySize() {
        owner.ensureOpen();
        return LibbpfCalls.mapKeySize(handle);
    }

    public int valueSize() {
        owner.ensureOpen();
        return LibbpfCalls.mapValueSize(handle);
    }

    public int maxEntries() {
        owner.ensureOpen();
        return LibbpfCalls.mapMaxEntries(handle);
    }

    /**
     * Bytes a value buffer must have: for per-CPU maps {@code round_up(valueSize, 8) *
     * possibleCpus()} (one slot per possible CPU), otherwise {@link #valueSize()}.
     */
    public int valueBufferSize() {
        int valueSize = valueSize();
        if (!type().isPerCpu()) {
            return valueSize;
        }
        return Math.multiplyExact((valueSize + 7) & ~7, Libbpf.possibleCpus());
    }

    /** The kernel's id of this map ({@code bpf_map_info.id}); a negative errno before load. */
    public int id() {
        int fd = geometry.fd();
        return fd < 0 ? -Errno.EBADF : KernelObjects.idOf(fd);
    }

    /** {@code bpf_map_lookup_elem}: copies the value of {@code key} into {@code value}. */
    public int lookup(MemorySegment key, MemorySegment value) {
        Geometry g = geometry;
        if (g.fd < 0) {
            return -Errno.EBADF;
        }
        if (key.byteSize() < g.keySize || value.byteSize() < g.valueBufferSize) {
            return -Errno.EINVAL;
        }
        return LibbpfCalls.mapLookupElem(g.fd, key, value);
    }

    /** {@code bpf_map_update_elem} with {@code BPF_ANY} (0), {@code BPF_NOEXIST} (1), {@code BPF_EXIST} (2), {@code BPF_F_LOCK} (4). */
    public int update(MemorySegment key, MemorySegment value, long flags) {
        Geometry g = geometry;
        if (g.fd < 0) {
            return -Errno.EBADF;
        }
        if (key.byteSize() < g.keySize || value.byteSize() < g.valueBufferSize) {
            return -Errno.EINVAL;
        }
        return LibbpfCalls.mapUpdateElem(g.fd, key, value, flags);
    }

    /** {@code bpf_map_delete_elem}. */
    public int delete(MemorySegment key) {
        Geometry g = geometry;
        if (g.fd < 0) {
            return -Errno.EBADF;
        }
        if (key.byteSize() < g.keySize) {
            return -Errno.EINVAL;
        }
        return LibbpfCalls.mapDeleteElem(g.fd, key);
    }

    /**
     * {@code bpf_map_get_next_key}: writes the key after {@code keyOrNull} into {@code nextKey};
     * {@link MemorySegment#NULL} starts from the first key. {@code -ENOENT} ends the iteration.
     */
    public int nextKey(MemorySegment keyOrNull, MemorySegment nextKey) {
        Geometry g = geometry;
        if (g.fd < 0) {
            return -Errno.EBADF;
        }
        boolean fromStart = keyOrNull.equals(MemorySegment.NULL);
        if ((!fromStart && keyOrNull.byteSize() < g.keySize) || nextKey.byteSize() < g.keySize) {
            return -Errno.EINVAL;
        }
        return LibbpfCalls.mapGetNextKey(g.fd, fromStart ? MemorySegment.NULL : keyOrNull, nextKey);
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }

    /** The fd the hot path uses; -1 before load and after close. */
    int cachedFd() {
        return geometry.fd();
    }

    void refreshAfterLoad() {
        geometry = new Geometry(LibbpfCalls.mapFd(handle), keySize(), valueBufferSize());
    }

    void markClosed() {
        geometry = NOT_LOADED;
    }
}
