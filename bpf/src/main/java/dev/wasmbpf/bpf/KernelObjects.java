package dev.wasmbpf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The ids of every BPF program, map and link alive in the kernel, for leak checks: take a
 * snapshot before and after, and {@link #minus} shows what is new. Other processes' objects
 * appear too, so compare ids you know are yours when others may be loading programs.
 */
public record KernelObjects(Set<Integer> programIds, Set<Integer> mapIds, Set<Integer> linkIds) {
    public KernelObjects {
        programIds = Set.copyOf(programIds);
        mapIds = Set.copyOf(mapIds);
        linkIds = Set.copyOf(linkIds);
    }

    /**
     * Reads the id lists with {@code bpf_prog_get_next_id}, {@code bpf_map_get_next_id} and
     * {@code bpf_link_get_next_id}.
     *
     * @throws IllegalStateException when bpf() is not permitted (e.g. EPERM without CAP_SYS_ADMIN)
     */
    public static KernelObjects snapshot() {
        Libbpf.ensureLoaded();
        return new KernelObjects(
                ids("program", LibbpfCalls::progGetNextId),
                ids("map", LibbpfCalls::mapGetNextId),
                ids("link", LibbpfCalls::linkGetNextId));
    }

    /** The objects in this snapshot that are not in {@code before}. */
    public KernelObjects minus(KernelObjects before) {
        return new KernelObjects(
                difference(programIds, before.programIds),
                difference(mapIds, before.mapIds),
                difference(linkIds, before.linkIds));
    }

    public boolean isEmpty() {
        return programIds.isEmpty() && mapIds.isEmpty() && linkIds.isEmpty();
    }

    /** The kernel id of a program, map or link fd: {@code id} follows {@code type} in all three info structs. */
    static int idOf(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(8, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 8);
            int rc = LibbpfCalls.objGetInfoByFd(fd, info, length);
            return rc < 0 ? rc : info.get(JAVA_INT, 4);
        }
    }

    private static Set<Integer> ids(String kind, BiFunction<Integer, MemorySegment, Integer> nextId) {
        Set<Integer> ids = new HashSet<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = arena.allocate(JAVA_INT);
            int id = 0;
            while (true) {
                int rc = nextId.apply(id, next);
                if (rc == -Errno.ENOENT) {
                    return ids;
                }
                if (rc < 0) {
                    throw new IllegalStateException("cannot list BPF " + kind + " ids: " + Errno.describe(rc));
                }
                id = next.get(JAVA_INT, 0);
                ids.add(id);
            }
        }
    }

    private static Set<Integer> difference(Set<Integer> after, Set<Integer> before) {
        Set<Integer> result = new HashSet<>(after);
        result.removeAll(before);
        return result;
    }
}
