package dev.wasmbpf.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link BpfObject#open} itself refuses what our ELF/BTF reader finds malformed, so a caller that is not the runtime
 * (the bench, an embedder) is protected too. No kernel needed: the refusal comes before libbpf is even loaded.
 */
class ObjectPrecheckTest {
    @Test
    void bytesThatAreNoElfAreRefusedByOurReader() {
        BpfException e =
                assertThrows(BpfException.class, () -> BpfObject.open(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "garbage"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("cannot open BPF object 'garbage': "), e.getMessage());
        // libbpf would refuse these bytes too, in its own words: our reader's must have come first.
        assertTrue(e.getMessage().contains("expected a 64-byte ELF header, the file has 8 bytes"), e.getMessage());
    }

    /**
     * A check started ahead on another thread (as the runtime does for the objects a module embeds) ends in the very
     * refusal {@link BpfObject#open} gives on its own, and open takes that answer instead of reading the bytes again.
     */
    @Test
    void aCheckStartedAheadRefusesGarbageWithTheSameError() {
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        String inline = assertThrows(BpfException.class, () -> BpfObject.open(garbage, "garbage"))
                .getMessage();
        BpfObject.precheckAhead(garbage);
        assertTrue(ObjectPrecheck.pendingAhead(garbage));
        BpfException ahead = assertThrows(BpfException.class, () -> BpfObject.open(garbage, "garbage"));
        assertEquals(Errno.EINVAL, ahead.errno());
        assertEquals(inline, ahead.getMessage());
        assertFalse(ObjectPrecheck.pendingAhead(garbage), "open did not take the answer computed ahead");
    }

    @Test
    void aCheckStartedAheadRefusesTheLibbpfCrasherWithTheSameError() throws Exception {
        byte[] object;
        try (var in = ObjectPrecheckTest.class.getResourceAsStream("/fuzz/libbpf-1.1-segv-corrupt-btf.bpf.o")) {
            assertNotNull(in, "the saved crasher is a test resource");
            object = in.readAllBytes();
        }
        String inline = assertThrows(BpfException.class, () -> BpfObject.open(object, "crasher"))
                .getMessage();
        BpfObject.precheckAhead(object);
        // The caller's array may change after the call: the check works on its own copy.
        byte[] callersCopy = object.clone();
        java.util.Arrays.fill(object, (byte) 0);
        BpfException ahead = assertThrows(BpfException.class, () -> BpfObject.open(callersCopy, "crasher"));
        assertEquals(inline, ahead.getMessage());
        assertFalse(ObjectPrecheck.pendingAhead(callersCopy), "open did not take the answer computed ahead");
    }

    /**
     * The object whose corrupt BTF (three bytes of a member name changed) made libbpf 1.1 dereference garbage: were
     * it to reach libbpf again, this JVM would die with SIGSEGV, and the build with it.
     */
    @Test
    void anObjectThatCrashedLibbpfIsRefusedBeforeLibbpfSeesIt() throws Exception {
        byte[] object;
        try (var in = ObjectPrecheckTest.class.getResourceAsStream("/fuzz/libbpf-1.1-segv-corrupt-btf.bpf.o")) {
            assertNotNull(in, "the saved crasher is a test resource");
            object = in.readAllBytes();
        }
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open(object, "crasher"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("cannot open BPF object 'crasher': "), e.getMessage());
    }

    /** The same bytes again are answered from the objects that read cleanly; other bytes, or refused ones, are parsed. */
    @Test
    void anObjectThatReadCleanlyIsNotParsedAgainButAnyOtherBytesAre() throws Exception {
        byte[] object;
        try (var in = ObjectPrecheckTest.class.getResourceAsStream("/bpf/maps.bpf.o")) {
            assertNotNull(in, "built by the test build");
            object = in.readAllBytes();
        }
        byte[] same = object.clone();
        assertTrue(ObjectPrecheck.problem(object).isEmpty());
        long parsed = ObjectPrecheck.parses();
        assertTrue(ObjectPrecheck.problem(same).isEmpty());
        assertEquals(parsed, ObjectPrecheck.parses(), "identical bytes, another array: not parsed again");

        // The first ELF header byte changed: not the object that passed, so parsed (and refused).
        same[0] = 0;
        assertTrue(ObjectPrecheck.problem(same).isPresent());
        assertEquals(parsed + 1, ObjectPrecheck.parses());
        assertTrue(ObjectPrecheck.problem(same).isPresent(), "a refused object is never kept");
        assertEquals(parsed + 2, ObjectPrecheck.parses());
    }
}
