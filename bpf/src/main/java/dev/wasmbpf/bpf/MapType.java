package dev.wasmbpf.bpf;

/**
 * Mirrors {@code enum bpf_map_type} from {@code include/uapi/linux/bpf.h}, in kernel order, so
 * {@link #ordinal()} is the raw value.
 */
public enum MapType {
    UNSPEC,
    HASH,
    ARRAY,
    PROG_ARRAY,
    PERF_EVENT_ARRAY,
    PERCPU_HASH,
    PERCPU_ARRAY,
    STACK_TRACE,
    CGROUP_ARRAY,
    LRU_HASH,
    LRU_PERCPU_HASH,
    LPM_TRIE,
    ARRAY_OF_MAPS,
    HASH_OF_MAPS,
    DEVMAP,
    SOCKMAP,
    CPUMAP,
    XSKMAP,
    SOCKHASH,
    CGROUP_STORAGE,
    REUSEPORT_SOCKARRAY,
    PERCPU_CGROUP_STORAGE,
    QUEUE,
    STACK,
    SK_STORAGE,
    DEVMAP_HASH,
    STRUCT_OPS,
    RINGBUF,
    INODE_STORAGE,
    TASK_STORAGE,
    BLOOM_FILTER,
    USER_RINGBUF,
    CGRP_STORAGE,
    ARENA;

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
}
