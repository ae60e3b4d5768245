package dev.wasmbpf.bpf;

/**
 * Mirrors {@code enum bpf_map_type} from {@code include/uapi/linux/bpf.h}, in kernel order, so
 * {@link #ordinal()} is the raw value, with the release that introduced each type (for {@code inspect}).
 */
public enum MapType {
    UNSPEC(0, 0),
    HASH(3, 19),
    ARRAY(3, 19),
    PROG_ARRAY(4, 2),
    PERF_EVENT_ARRAY(4, 3),
    PERCPU_HASH(4, 6),
    PERCPU_ARRAY(4, 6),
    STACK_TRACE(4, 6),
    CGROUP_ARRAY(4, 8),
    LRU_HASH(4, 10),
    LRU_PERCPU_HASH(4, 10),
    LPM_TRIE(4, 11),
    ARRAY_OF_MAPS(4, 12),
    HASH_OF_MAPS(4, 12),
    DEVMAP(4, 14),
    SOCKMAP(4, 14),
    CPUMAP(4, 15),
    XSKMAP(4, 18),
    SOCKHASH(4, 18),
    CGROUP_STORAGE(4, 19),
    REUSEPORT_SOCKARRAY(4, 19),
    PERCPU_CGROUP_STORAGE(4, 20),
    QUEUE(4, 20),
    STACK(4, 20),
    SK_STORAGE(5, 2),
    DEVMAP_HASH(5, 4),
    STRUCT_OPS(5, 6),
    RINGBUF(5, 8),
    INODE_STORAGE(5, 10),
    TASK_STORAGE(5, 11),
    BLOOM_FILTER(5, 16),
    USER_RINGBUF(6, 1),
    CGRP_STORAGE(6, 2),
    ARENA(6, 9);

    /** Global-data maps (.rodata, .data, .bss) are arrays that need mmap-able, frozen maps. */
    public static final KernelVersion GLOBAL_DATA_SINCE = KernelVersion.of(5, 2);

    private final KernelVersion since;

    MapType(int major, int minor) {
        this.since = KernelVersion.of(major, minor);
    }

    private static final MapType[] BY_RAW = values();

    /** The type for a raw {@code bpf_map_type}; UNSPEC for values newer than this enum. */
    public static MapType of(int raw) {
        return raw >= 0 && raw < BY_RAW.length ? BY_RAW[raw] : UNSPEC;
    }

    public int raw() {
        return ordinal();
    }

    /**
     * Whether user space sees one value per possible CPU, each rounded up to 8 bytes
     * ({@code bpf_map_value_size()} in {@code kernel/bpf/syscall.c}).
     */
    public boolean isPerCpu() {
        return switch (this) {
            case PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE -> true;
            default -> false;
        };
    }

    /** The first Linux release that has this map type (0.0 for UNSPEC). */
    public KernelVersion since() {
        return since;
    }

    /** The name libbpf and bpftool give the type: {@code perf_event_array}, {@code ringbuf}, … */
    public String libbpfName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
