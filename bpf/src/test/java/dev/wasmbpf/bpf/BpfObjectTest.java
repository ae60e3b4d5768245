package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BpfObjectTest {
    @BeforeEach
    void kernel() {
        requireKernel();
    }

    @Test
    void opensLoadsAndNamesProgramsAndMaps() throws Exception {
        try (BpfObject object = BpfObject.open(testObject("maps"), "maps_test")) {
            assertEquals("maps_test", object.name());
            assertEquals(
                    List.of("touch_maps"),
                    object.programs().stream().map(BpfProgram::name).toList());
            BpfProgram program = object.program("touch_maps").orElseThrow();
            assertEquals("socket", program.sectionName());
            assertEquals(ProgramType.SOCKET_FILTER, program.type());
            assertTrue(program.fd() < 0, "no fd before load");

            object.load();

            assertTrue(object.isLoaded());
            assertTrue(program.fd() >= 0);
            assertTrue(program.id() > 0);
            BpfMap counts = object.map("counts").orElseThrow();
            assertEquals(MapType.HASH, counts.type());
            assertEquals(4, counts.keySize());
            assertEquals(8, counts.valueSize());
            assertEquals(64, counts.maxEntries());
            assertEquals(counts, object.mapByFd(counts.fd()).orElseThrow());
            assertTrue(object.map(".rodata").orElseThrow().isInternal());
            assertTrue(object.map(".rodata").orElseThrow().name().endsWith(".rodata"));
            assertTrue(object.map(".data").isPresent());
            assertTrue(object.map(".bss").isPresent());
            assertEquals(
                    object.map(".bss"),
                    object.map(object.map(".bss").orElseThrow().name()));
        }
    }

    @Test
    void unknownNamesAreEmpty() throws Exception {
        try (BpfObject object = BpfObject.open(testObject("maps"), "maps_test")) {
            object.load();
            assertTrue(object.program("no_such_program").isEmpty());
            assertTrue(object.map("no_such_map").isEmpty());
            assertTrue(object.map(".kconfig").isEmpty());
            assertTrue(object.mapByFd(-1).isEmpty());
            assertTrue(object.mapByFd(Integer.MAX_VALUE).isEmpty());
        }
    }

    @Test
    void rejectsInputThatIsNoElf() {
        BpfException garbage =
                assertThrows(BpfException.class, () -> BpfObject.open(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "garbage"));
        assertEquals(Errno.EINVAL, garbage.errno());
        assertTrue(garbage.getMessage().contains("garbage"), garbage.getMessage());

        BpfException empty = assertThrows(BpfException.class, () -> BpfObject.open(new byte[0], "empty"));
        assertEquals(Errno.EINVAL, empty.errno());
    }

    @Test
    void verifierRejectionCarriesTheVerifierLog() throws Exception {
        try (BpfObject object = BpfObject.open(testObject("rejected"), "rejected")) {
            BpfException e = assertThrows(BpfException.class, object::load);
            assertEquals(Errno.EACCES, e.errno());
            assertTrue(e.getMessage().contains("unchecked_lookup"), e.getMessage());
            // The kernel verifier's own words about the unchecked map value.
            assertTrue(e.getMessage().contains("map_value_or_null"), e.getMessage());
            assertFalse(object.isLoaded());
        }
    }

    @Test
    void concurrentLoadsEachReportTheirOwnLog() throws Exception {
        int threads = 4;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> messages = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "rejected_" + i;
                messages.add(pool.submit(() -> {
                    try (BpfObject object = BpfObject.open(testObject("rejected"), name)) {
                        return assertThrows(BpfException.class, object::load).getMessage();
                    }
                }));
            }
            for (int i = 0; i < threads; i++) {
                String message = messages.get(i).get();
                assertTrue(message.contains("failed to load object 'rejected_" + i + "'"), message);
                for (int other = 0; other < threads; other++) {
                    if (other != i) {
                        assertFalse(message.contains("'rejected_" + other + "'"), message);
                    }
                }
                assertTrue(message.contains("map_value_or_null"), message);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logLinesReachTheSink() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Libbpf.setLogSink((level, message) -> lines.add(level + " " + message));
        try (BpfObject object = BpfObject.open(testObject("rejected"), "rejected")) {
            assertThrows(BpfException.class, object::load);
        } finally {
            Libbpf.setLogSink(null);
        }
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("WARN ") && l.contains("map_value_or_null")),
                String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("libbpf: ")), "prefix is stripped");
    }

    @Test
    void closedObjectRefusesUseAndClosesOnce() throws Exception {
        BpfObject object = BpfObject.open(testObject("maps"), "maps_test");
        object.load();
        BpfProgram program = object.program("touch_maps").orElseThrow();
        BpfMap counts = object.map("counts").orElseThrow();
        object.close();
        object.close();
        assertThrows(IllegalStateException.class, program::fd);
        assertThrows(IllegalStateException.class, counts::type);
        assertThrows(IllegalStateException.class, object::load);
        assertThrows(IllegalStateException.class, () -> program.attachXdp("lo"));
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            assertEquals(-Errno.EBADF, counts.lookup(arena.allocate(4), arena.allocate(8)));
        }
    }

    @Test
    void unknownInterfaceIsEnodev() throws Exception {
        try (BpfObject object = BpfObject.open(testObject("net"), "net_test")) {
            object.load();
            BpfProgram xdp = object.program("count_xdp").orElseThrow();
            assertEquals(
                    Errno.ENODEV,
                    assertThrows(BpfException.class, () -> xdp.attachXdp("nosuchif0"))
                            .errno());
            assertEquals(
                    Errno.ENODEV,
                    assertThrows(BpfException.class, () -> xdp.attachXdp("")).errno());
            BpfProgram socket = object.program("count_udp").orElseThrow();
            assertEquals(
                    Errno.ENODEV,
                    assertThrows(BpfException.class, () -> socket.attachSocketFilter("nosuchif0"))
                            .errno());
            BpfException wrongType = assertThrows(BpfException.class, () -> xdp.attachSocketFilter("lo"));
            assertEquals(Errno.EINVAL, wrongType.errno());
            assertTrue(wrongType.getMessage().contains("XDP"), wrongType.getMessage());
        }
    }
}
