package dev.wasmbpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbpf.btf.elf.ElfFile;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.CHeaderEmitter;
import dev.wasmbpf.btf.emit.WasmHeaderEmitter;
import dev.wasmbpf.btf.emit.WitEmitter;
import dev.wasmbpf.btf.skeleton.SkeletonGenerator;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A deterministic corpus of malformed inputs (truncated, bit-flipped, wrong magic, huge counts,
 * cyclic types) derived from a real object and its raw BTF. Every mutant either still is valid
 * input and goes through every emitter, or fails with one of our checked exceptions: never an
 * unchecked exception, a StackOverflowError, or an OutOfMemoryError. Work is bounded by input
 * size (counts are checked against remaining bytes, cycles detected), so no timing is asserted.
 */
class FuzzCorpusTest {
    private static final long SEED = 0x5EED_B7F0L;
    private static final int MUTANTS = 1200;

    private enum Outcome {
        ACCEPTED,
        REJECTED
    }

    @Test
    void malformedObjectsFailWithOurCheckedExceptions() throws Exception {
        byte[] object = Files.readAllBytes(ObjectFixtures.types());
        Random random = new Random(SEED);
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(object, random, i % 4);
            if (process(mutant, "object mutant " + i) == Outcome.REJECTED) rejected++;
        }
        assertTrue(rejected > MUTANTS / 4, "most structural damage must be detected, rejected " + rejected);
    }

    @Test
    void malformedRawBtfFailsWithOurCheckedExceptions() throws Exception {
        byte[] btf = rawBtf();
        Random random = new Random(SEED + 1);
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            int kind = i % 6;
            byte[] mutant =
                    kind < 4 ? mutate(btf, random, kind) : kind == 4 ? hugeCount(btf, random) : cycle(btf, random);
            Outcome outcome = process(mutant, "BTF mutant " + i + " (kind " + kind + ")");
            if (outcome == Outcome.REJECTED) rejected++;
            if (kind == 0 || kind == 3 || kind == 5) {
                assertEquals(
                        Outcome.REJECTED, outcome, "truncation, wrong magic and cycles are always errors: mutant " + i);
            }
        }
        assertTrue(rejected > MUTANTS / 2, "rejected " + rejected);
    }

    @Test
    void errorsNameTheOffsetAndWhatWasExpected() throws Exception {
        byte[] btf = rawBtf();
        byte[] wrongMagic = btf.clone();
        wrongMagic[0] = 0x12;
        assertMessage(wrongMagic, "BTF offset 0: expected BTF magic 0xeb9f");
        assertMessage(Arrays.copyOf(btf, btf.length - 5), "must lie inside the");
        byte[] notElf = Files.readAllBytes(ObjectFixtures.types());
        notElf[4] = 1;
        assertMessage(notElf, "ELF offset 4: expected ELFCLASS64 (2), found 1");
        assertMessage(cycleAt(btf, 0), "contains itself by value");
    }

    private static void assertMessage(byte[] input, String expected) {
        try {
            emitAll(input);
            fail("expected an error containing: " + expected);
        } catch (ToolchainException e) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        } catch (Exception e) {
            fail(e);
        }
    }

    private static Outcome process(byte[] input, String what) throws Exception {
        try {
            emitAll(input);
            return Outcome.ACCEPTED;
        } catch (ToolchainException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), what);
            return Outcome.REJECTED;
        } catch (Throwable t) {
            throw new AssertionError(what + " escaped as " + t, t);
        }
    }

    private static void emitAll(byte[] input) throws ToolchainException {
        Btf btf;
        if (ElfFile.looksLikeElf(input)) {
            ObjectFile obj = ObjectFile.parse(input);
            new SkeletonGenerator(obj, "fuzz_bpf").generate();
            if (obj.btf().isEmpty()) return;
            btf = obj.btf().get();
        } else {
            btf = Btf.parse(input);
        }
        new CHeaderEmitter(btf).emitAll("FUZZ_H");
        new WasmHeaderEmitter(btf).emitAll("FUZZ_WASM_H");
        new WitEmitter(btf).emit("fuzz", null);
    }

    private static byte[] rawBtf() throws Exception {
        ObjectFile obj = ObjectFile.read(ObjectFixtures.types());
        return obj.elf().contents(obj.elf().section(".BTF").orElseThrow());
    }

    private static byte[] mutate(byte[] input, Random r, int kind) {
        byte[] m = input.clone();
        switch (kind) {
            case 0 -> m = Arrays.copyOf(input, r.nextInt(input.length));
            case 1 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    int bit = r.nextInt(m.length * 8);
                    m[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 2 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--)
                    m[r.nextInt(m.length)] = (byte) (r.nextBoolean() ? 0xFF : 0x00);
            }
            default -> m[r.nextInt(2)] ^= (byte) (1 + r.nextInt(255));
        }
        return m;
    }

    /** A count or size field of the header or of a type record set to a huge value. */
    private static byte[] hugeCount(byte[] btf, Random r) {
        byte[] m = btf.clone();
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> records = records(btf);
        int[] rec = records.get(r.nextInt(records.size()));
        int[] huge = {0xFFFFFFFF, 0x7FFFFFFF, 0x00FFFFFF, 0x0000FFFF, 0x80000000};
        switch (r.nextInt(3)) {
            case 0 -> b.putInt(4 + 4 * r.nextInt(5), huge[r.nextInt(huge.length)]); // header lengths/offsets
            case 1 -> b.putShort(rec[0] + 4, (short) 0xFFFF); // vlen
            default -> b.putInt(rec[0] + 8, huge[r.nextInt(huge.length)]); // size or referenced type
        }
        return m;
    }

    private static byte[] cycle(byte[] btf, Random r) {
        return cycleAt(btf, r.nextInt(1 << 16));
    }

    /** Makes a typedef, qualifier or array refer to itself. */
    private static byte[] cycleAt(byte[] btf, int pick) {
        List<int[]> candidates = new ArrayList<>();
        for (int[] rec : records(btf))
            if (rec[1] == 8 || rec[1] == 9 || rec[1] == 10 || rec[1] == 3) candidates.add(rec);
        int[] rec = candidates.get(pick % candidates.size());
        byte[] m = btf.clone();
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(rec[1] == 3 ? rec[0] + 12 : rec[0] + 8, rec[2]);
        return m;
    }

    /** {offset, kind, id} of every type record of a valid little-endian BTF blob. */
    private static List<int[]> records(byte[] btf) {
        ByteBuffer b = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
        int hdr = b.getInt(4), pos = hdr + b.getInt(8), end = pos + b.getInt(12);
        List<int[]> out = new ArrayList<>();
        for (int id = 1; pos < end; id++) {
            int info = b.getInt(pos + 4), kind = (info >>> 24) & 0x1F, vlen = info & 0xFFFF;
            out.add(new int[] {pos, kind, id});
            pos += 12
                    + switch (kind) {
                        case 1, 14, 17 -> 4;
                        case 3 -> 12;
                        case 4, 5, 15, 19 -> 12 * vlen;
                        case 6, 13 -> 8 * vlen;
                        default -> 0;
                    };
        }
        return out;
    }
}
