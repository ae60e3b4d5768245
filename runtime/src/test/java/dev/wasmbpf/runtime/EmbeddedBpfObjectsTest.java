package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The objects a module embeds are found whole, so the precheck started ahead is for the bytes the guest loads. */
class EmbeddedBpfObjectsTest {
    private static byte[] testGuestFile(String name) throws Exception {
        return Files.readAllBytes(GuestHarness.guest("ringbuf_exec").resolveSibling(name));
    }

    @Test
    void findsTheObjectAGuestEmbedsByteForByte() throws Exception {
        byte[] module = testGuestFile("ringbuf_exec.wasm");
        byte[] object = testGuestFile("ringbuf_exec.bpf.o");
        List<byte[]> found = EmbeddedBpfObjects.find(module);
        assertEquals(1, found.size(), "one embedded object");
        assertArrayEquals(object, found.get(0), "the object the guest hands to wasm_load_bpf_object");
    }

    @Test
    void aModuleWithoutObjectsHasNone() throws Exception {
        assertEquals(List.of(), EmbeddedBpfObjects.find(testGuestFile("wasi_basics.wasm")));
    }

    /** An ELF header whose section table lies past the end of the module is no candidate (and no exception). */
    @Test
    void aHeaderWhoseSectionsDoNotFitIsSkipped() throws Exception {
        byte[] object = testGuestFile("ringbuf_exec.bpf.o");
        byte[] truncated = java.util.Arrays.copyOf(object, object.length - 1);
        assertEquals(List.of(), EmbeddedBpfObjects.find(truncated));
        byte[] hugeTable = object.clone();
        ByteBuffer.wrap(hugeTable).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, Long.MAX_VALUE - 10);
        assertEquals(List.of(), EmbeddedBpfObjects.find(hugeTable));
        byte[] headerOnly = java.util.Arrays.copyOf(object, 64);
        assertTrue(EmbeddedBpfObjects.find(headerOnly).isEmpty());
    }
}
