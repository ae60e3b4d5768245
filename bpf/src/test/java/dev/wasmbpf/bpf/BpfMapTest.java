package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BpfMapTest {
    private static final long BPF_ANY = 0;
    private static final long BPF_NOEXIST = 1;
    private static final long BPF_EXIST = 2;

    private BpfObject object;
    private Arena arena;

    @BeforeEach
    void load() throws BpfException {
        requireKernel();
        object = BpfObject.open(testObject("maps"), "maps_test");
        object.load();
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        if (arena != null) {
            arena.close();
        }
        if (object != null) {
            object.close();
        }
    }

    @Test
    void hashMapRoundTripReturningNegativeErrnos() {
        BpfMap counts = object.map("counts").orElseThrow();
        MemorySegment key = arena.allocate(JAVA_INT);
        MemorySegment value = arena.allocate(JAVA_LONG);

        key.set(JAVA_INT, 0, 7);
        assertEquals(-Errno.ENOENT, counts.lookup(key, value), "libbpf 1.x returns -errno directly");
        assertEquals(-Errno.ENOENT, counts.delete(key));
        assertEquals(-Errno.ENOENT, counts.update(key, value, BPF_EXIST));

        value.set(JAVA_LONG, 0, 700L);
        assertEquals(0, counts.update(key, value, BPF_NOEXIST));
        assertEquals(-Errno.EEXIST, counts.update(key, value, BPF_NOEXIST));
        value.set(JAVA_LONG, 0, 0L);
        assertEquals(0, counts.lookup(key, value));
        assertEquals(700L, value.get(JAVA_LONG, 0));

        assertEquals(0, counts.delete(key));
        assertEquals(-Errno.ENOENT, counts.lookup(key, value));
    }

    @Test
    void nextKeyIteratesEveryKey() {
        BpfMap counts = object.map("counts").orElseThrow();
        MemorySegment key = arena.allocate(JAVA_INT);
        MemorySegment value = arena.allocate(JAVA_LONG);
        Set<Integer> written = Set.of(3, 14, 15, 92);
        for (int k : written) {
            key.set(JAVA_INT, 0, k);
            value.set(JAVA_LONG, 0, k * 10L);
            assertEquals(0, counts.update(key, value, BPF_ANY));
        }

        Set<Integer> seen = new HashSet<>();
        MemorySegment current = MemorySegment.NULL;
        MemorySegment next = arena.allocate(JAVA_INT);
        int rc;
        while ((rc = counts.nextKey(current, next)) == 0) {
            int k = next.get(JAVA_INT, 0);
            seen.add(k);
            assertEquals(0, counts.lookup(next, value));
            assertEquals(k * 10L, value.get(JAVA_LONG, 0));
            current = arena.allocate(JAVA_INT).copyFrom(next);
        }
        assertEquals(-Errno.ENOENT, rc, "iteration ends with -ENOENT");
        assertEquals(written, seen);
    }

    @Test
    void perCpuValuesHaveOneSlotPerPossibleCpu() {
        BpfMap perCpu = object.map("per_cpu").orElseThrow();
        int cpus = Libbpf.possibleCpus();
        assertEquals(MapType.PERCPU_ARRAY, perCpu.type());
        assertEquals(4, perCpu.valueSize());
        assertEquals(8 * cpus, perCpu.valueBufferSize(), "each 4-byte value rounds up to 8");

        MemorySegment key = arena.allocate(JAVA_INT);
        key.set(JAVA_INT, 0, 2);
        MemorySegment values = arena.allocate(perCpu.valueBufferSize(), 8);
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.set(JAVA_INT, cpu * 8L, 1000 + cpu);
        }
        assertEquals(0, perCpu.update(key, values, BPF_ANY));

        MemorySegment read = arena.allocate(perCpu.valueBufferSize(), 8);
        assertEquals(0, perCpu.lookup(key, read));
        for (int cpu = 0; cpu < cpus; cpu++) {
            assertEquals(1000 + cpu, read.get(JAVA_INT, cpu * 8L));
        }
        MemorySegment oneSlot = arena.allocate(8);
        assertEquals(-Errno.EINVAL, perCpu.lookup(key, oneSlot.asSlice(0, 4)), "buffer too small for all CPUs");
    }

    @Test
    void buffersTooSmallAreRejectedBeforeTheKernelSeesThem() {
        BpfMap counts = object.map("counts").orElseThrow();
        MemorySegment shortKey = arena.allocate(2);
        MemorySegment value = arena.allocate(JAVA_LONG);
        assertEquals(-Errno.EINVAL, counts.lookup(shortKey, value));
        assertEquals(-Errno.EINVAL, counts.update(shortKey, value, BPF_ANY));
        assertEquals(-Errno.EINVAL, counts.delete(shortKey));
        assertEquals(-Errno.EINVAL, counts.nextKey(shortKey, arena.allocate(JAVA_INT)));
        assertEquals(-Errno.EINVAL, counts.nextKey(MemorySegment.NULL, shortKey));
        assertEquals(-Errno.EINVAL, counts.lookup(arena.allocate(JAVA_INT), arena.allocate(4)));
        assertEquals(-Errno.EINVAL, counts.lookup(MemorySegment.NULL, value));
    }

    @Test
    void heapSegmentsWorkLikeGuestMemory() {
        BpfMap counts = object.map("counts").orElseThrow();
        byte[] guest = new byte[64];
        ByteBuffer view = ByteBuffer.wrap(guest).order(ByteOrder.nativeOrder());
        view.putInt(4, 11);
        view.putLong(16, 1234L);
        MemorySegment memory = MemorySegment.ofArray(guest);
        assertEquals(0, counts.update(memory.asSlice(4, 4), memory.asSlice(16, 8), BPF_ANY));
        assertEquals(0, counts.lookup(memory.asSlice(4, 4), memory.asSlice(32, 8)));
        assertEquals(1234L, view.getLong(32));
    }

    @Test
    void globalDataIsReadableAndRodataIsFrozen() {
        BpfMap rodata = object.map(".rodata").orElseThrow();
        MemorySegment key = arena.allocate(JAVA_INT);
        MemorySegment value = arena.allocate(rodata.valueSize(), 8);
        assertEquals(0, rodata.lookup(key, value));
        assertEquals(42, value.get(JAVA_INT, 0), "const volatile __u32 answer = 42");
        assertEquals(-Errno.EPERM, rodata.update(key, value, BPF_ANY), "frozen after load");

        BpfMap data = object.map(".data").orElseThrow();
        MemorySegment dataValue = arena.allocate(data.valueSize(), 8);
        assertEquals(0, data.lookup(key, dataValue));
        assertEquals(7L, dataValue.get(JAVA_LONG, 0), "__u64 hits = 7");
    }
}
