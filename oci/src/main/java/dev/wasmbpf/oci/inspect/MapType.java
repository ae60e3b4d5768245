package dev.wasmbpf.oci.inspect;

import java.util.Optional;

/** enum bpf_map_type from include/uapi/linux/bpf.h, with the release that introduced each type. */
public record MapType(int id, String name, KernelVersion since) {
    private static final MapType[] TYPES = {
        null,
        type(1, "hash", 3, 19), type(2, "array", 3, 19), type(3, "prog_array", 4, 2),
        type(4, "perf_event_array", 4, 3), type(5, "percpu_hash", 4, 6), type(6, "percpu_array", 4, 6),
        type(7, "stack_trace", 4, 6), type(8, "cgroup_array", 4, 8), type(9, "lru_hash", 4, 10),
        type(10, "lru_percpu_hash", 4, 10), type(11, "lpm_trie", 4, 11), type(12, "array_of_maps", 4, 12),
        type(13, "hash_of_maps", 4, 12), type(14, "devmap", 4, 14), type(15, "sockmap", 4, 14),
        type(16, "cpumap", 4, 15), type(17, "xskmap", 4, 18), type(18, "sockhash", 4, 18),
        type(19, "cgroup_storage", 4, 19), type(20, "reuseport_sockarray", 4, 19),
        type(21, "percpu_cgroup_storage", 4, 20), type(22, "queue", 4, 20), type(23, "stack", 4, 20),
        type(24, "sk_storage", 5, 2), type(25, "devmap_hash", 5, 4), type(26, "struct_ops", 5, 6),
        type(27, "ringbuf", 5, 8), type(28, "inode_storage", 5, 10), type(29, "task_storage", 5, 11),
        type(30, "bloom_filter", 5, 16), type(31, "user_ringbuf", 6, 1), type(32, "cgrp_storage", 6, 2),
        type(33, "arena", 6, 9),
    };

    /** Global-data maps (.rodata, .data, .bss) are arrays that need mmap-able, frozen maps. */
    public static final KernelVersion GLOBAL_DATA_SINCE = KernelVersion.of(5, 2);

    private static MapType type(int id, String name, int major, int minor) {
        return new MapType(id, name, KernelVersion.of(major, minor));
    }

    public static Optional<MapType> ofId(int id) {
        return id > 0 && id < TYPES.length ? Optional.of(TYPES[id]) : Optional.empty();
    }
}
