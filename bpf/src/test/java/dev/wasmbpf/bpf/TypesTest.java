package dev.wasmbpf.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The enums must keep the kernel's numbering (include/uapi/linux/bpf.h). */
class TypesTest {
    @Test
    void programTypesFollowTheKernelNumbering() {
        assertEquals(ProgramType.SOCKET_FILTER, ProgramType.of(1));
        assertEquals(ProgramType.SCHED_CLS, ProgramType.of(3));
        assertEquals(ProgramType.TRACEPOINT, ProgramType.of(5));
        assertEquals(ProgramType.XDP, ProgramType.of(6));
        assertEquals(ProgramType.CGROUP_SKB, ProgramType.of(8));
        assertEquals(ProgramType.SOCK_OPS, ProgramType.of(13));
        assertEquals(ProgramType.RAW_TRACEPOINT, ProgramType.of(17));
        assertEquals(ProgramType.LSM, ProgramType.of(29));
        assertEquals(ProgramType.SYSCALL, ProgramType.of(31));
        assertEquals(ProgramType.UNSPEC, ProgramType.of(-1));
        assertEquals(ProgramType.UNSPEC, ProgramType.of(10_000));
    }

    @Test
    void mapTypesFollowTheKernelNumbering() {
        assertEquals(MapType.HASH, MapType.of(1));
        assertEquals(MapType.PERF_EVENT_ARRAY, MapType.of(4));
        assertEquals(MapType.PERCPU_ARRAY, MapType.of(6));
        assertEquals(MapType.LRU_PERCPU_HASH, MapType.of(10));
        assertEquals(MapType.RINGBUF, MapType.of(27));
        assertEquals(MapType.USER_RINGBUF, MapType.of(31));
        assertEquals(MapType.UNSPEC, MapType.of(10_000));
    }

    @Test
    void onlyPerCpuMapsArePerCpu() {
        assertTrue(MapType.PERCPU_HASH.isPerCpu());
        assertTrue(MapType.PERCPU_ARRAY.isPerCpu());
        assertTrue(MapType.LRU_PERCPU_HASH.isPerCpu());
        assertTrue(MapType.PERCPU_CGROUP_STORAGE.isPerCpu());
        assertFalse(MapType.HASH.isPerCpu());
        assertFalse(MapType.RINGBUF.isPerCpu());
    }

    @Test
    void libbpfPrivateErrnosBecomeEinval() {
        assertEquals(Errno.EINVAL, Errno.normalize(4001));
        assertEquals(Errno.EINVAL, Errno.normalize(-4007));
        assertEquals(Errno.ENOENT, Errno.normalize(-2));
        assertEquals("ENOENT (2)", Errno.describe(-2));
    }
}
