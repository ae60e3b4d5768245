package dev.wasmbpf.runtime.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bounds checks in front of Chicory's WASI: some of its functions allocate a Java array of the length the
 * guest passes before they look at memory, so a hostile {@code path_open(…, len = 2 GiB)} became an
 * OutOfMemoryError in the host. Every (pointer, length) pair and every iovec must lie inside memory;
 * otherwise the call fails with WASI's EFAULT and Chicory never sees it.
 */
final class WasiBounds {
    private static final int WASI_EFAULT = 21;
    private static final int IOVEC_BYTES = 8;
    private static final long SUBSCRIPTION_BYTES = 48;
    private static final long EVENT_BYTES = 32;

    /** Argument positions of (pointer, length) pairs, by function. */
    private static final Map<String, int[][]> RANGES = Map.ofEntries(
            Map.entry("path_open", new int[][] {{2, 3}}),
            Map.entry("path_filestat_get", new int[][] {{2, 3}}),
            Map.entry("path_filestat_set_times", new int[][] {{2, 3}}),
            Map.entry("path_create_directory", new int[][] {{1, 2}}),
            Map.entry("path_remove_directory", new int[][] {{1, 2}}),
            Map.entry("path_unlink_file", new int[][] {{1, 2}}),
            Map.entry("path_readlink", new int[][] {{1, 2}, {3, 4}}),
            Map.entry("path_rename", new int[][] {{1, 2}, {4, 5}}),
            Map.entry("path_symlink", new int[][] {{0, 1}, {3, 4}}),
            Map.entry("path_link", new int[][] {{2, 3}, {5, 6}}),
            Map.entry("random_get", new int[][] {{0, 1}}),
            Map.entry("fd_prestat_dir_name", new int[][] {{1, 2}}),
            Map.entry("fd_readdir", new int[][] {{1, 2}}));
    /** Argument positions of (iovec array, count), by function. */
    private static final Map<String, int[]> IOVECS = Map.of(
            "fd_write",
            new int[] {1, 2},
            "fd_read",
            new int[] {1, 2},
            "fd_pwrite",
            new int[] {1, 2},
            "fd_pread",
            new int[] {1, 2});

    private WasiBounds() {}

    static List<HostFunction> guard(List<HostFunction> functions) {
        List<HostFunction> guarded = new ArrayList<>(functions.size());
        for (HostFunction function : functions) {
            int[][] ranges = RANGES.get(function.name());
            int[] iovecs = IOVECS.get(function.name());
            boolean poll = function.name().equals("poll_oneoff");
            if (ranges == null && iovecs == null && !poll) {
                guarded.add(function);
                continue;
            }
            var inner = function.handle();
            guarded.add(new HostFunction(
                    function.module(), function.name(), function.functionType(), (instance, args) -> {
                        Memory memory = instance.memory();
                        long size = (long) memory.pages() * Memory.PAGE_SIZE;
                        boolean inside = (ranges == null || rangesInside(args, ranges, size))
                                && (iovecs == null || iovecsInside(memory, args[iovecs[0]], args[iovecs[1]], size))
                                && (!poll || pollInside(args, size));
                        return inside ? inner.apply(instance, args) : new long[] {WASI_EFAULT};
                    }));
        }
        return guarded;
    }

    private static boolean inside(long pointer, long length, long size) {
        long start = pointer & 0xFFFF_FFFFL;
        long len = length & 0xFFFF_FFFFL;
        return start + len <= size;
    }

    private static boolean rangesInside(long[] args, int[][] ranges, long size) {
        for (int[] range : ranges) {
            if (!inside(args[range[0]], args[range[1]], size)) {
                return false;
            }
        }
        return true;
    }

    private static boolean iovecsInside(Memory memory, long iovs, long count, long size) {
        long n = count & 0xFFFF_FFFFL;
        if (!inside(iovs, n * IOVEC_BYTES, size)) {
            return false;
        }
        for (long i = 0; i < n; i++) {
            int at = (int) ((iovs & 0xFFFF_FFFFL) + i * IOVEC_BYTES);
            if (!inside(memory.readInt(at), memory.readInt(at + 4), size)) {
                return false;
            }
        }
        return true;
    }

    private static boolean pollInside(long[] args, long size) {
        long n = args[2] & 0xFFFF_FFFFL;
        return inside(args[0], n * SUBSCRIPTION_BYTES, size) && inside(args[1], n * EVENT_BYTES, size);
    }
}
