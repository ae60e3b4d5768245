package dev.wasmbpf.runtime.reliability;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Breaks files the way corrupt downloads and hostile authors do: truncation, bit flips, bytes set to
 * 0x00/0xFF/0x80, and for structure, section ids, sizes and counts replaced by huge LEB128 values (Wasm) or
 * header and section-table fields replaced by absurd offsets and counts (ELF).
 */
final class Mutator {
    private final Random random;
    private final List<WasmSections> sections;

    Mutator(Random random, List<WasmSections> sections) {
        this.random = random;
        this.sections = sections;
    }

    byte[] mutateWasm(byte[] seed) {
        return switch (random.nextInt(7)) {
            case 0 -> Arrays.copyOf(seed, random.nextInt(seed.length));
            case 1 -> flipBits(seed, 1 + random.nextInt(8));
            case 2 -> setBytes(seed, 1 + random.nextInt(4));
            case 3 -> sectionId(seed);
            case 4 -> hugeLeb(seed, true);
            case 5 -> hugeLeb(seed, false);
            default -> flipBits(Arrays.copyOf(seed, seed.length - random.nextInt(Math.min(64, seed.length))), 2);
        };
    }

    byte[] mutateElf(byte[] seed) {
        return switch (random.nextInt(6)) {
            case 0 -> Arrays.copyOf(seed, random.nextInt(seed.length));
            case 1 -> flipBits(seed, 1 + random.nextInt(16));
            case 2 -> setBytes(seed, 1 + random.nextInt(8));
            case 3 -> elfHeaderField(seed);
            case 4 -> elfSectionHeaderField(seed);
            default -> flipBitsIn(seed, 0, Math.min(seed.length, 64), 1 + random.nextInt(3));
        };
    }

    private byte[] flipBits(byte[] seed, int flips) {
        return flipBitsIn(seed, 0, seed.length, flips);
    }

    private byte[] flipBitsIn(byte[] seed, int from, int to, int flips) {
        byte[] copy = seed.clone();
        for (int i = 0; i < flips; i++) {
            int at = from + random.nextInt(to - from);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] setBytes(byte[] seed, int count) {
        byte[] copy = seed.clone();
        byte[] values = {0, (byte) 0xFF, (byte) 0x80, 0x7F};
        for (int i = 0; i < count; i++) {
            copy[random.nextInt(copy.length)] = values[random.nextInt(values.length)];
        }
        return copy;
    }

    private byte[] sectionId(byte[] seed) {
        byte[] copy = seed.clone();
        WasmSections section = sections.get(random.nextInt(sections.size()));
        copy[section.idOffset()] = (byte) random.nextInt(256);
        return copy;
    }

    /** A section's size (or the count that opens its content) replaced by a 5-byte LEB128 near 2^32. */
    private byte[] hugeLeb(byte[] seed, boolean size) {
        WasmSections section = sections.get(random.nextInt(sections.size()));
        int at = size ? section.sizeOffset() : section.contentOffset();
        int oldLength = lebLength(seed, at);
        long value = switch (random.nextInt(3)) {
            case 0 -> 0xFFFF_FFFFL;
            case 1 -> 0x7FFF_FFFFL;
            default -> 0x1000_0000L + random.nextInt(1 << 20);
        };
        byte[] leb = new byte[5];
        for (int i = 0; i < 5; i++) {
            leb[i] = (byte) ((value >>> (7 * i)) & 0x7F | (i < 4 ? 0x80 : 0));
        }
        byte[] copy = new byte[seed.length - oldLength + 5];
        System.arraycopy(seed, 0, copy, 0, at);
        System.arraycopy(leb, 0, copy, at, 5);
        System.arraycopy(seed, at + oldLength, copy, at + 5, seed.length - at - oldLength);
        return copy;
    }

    private static int lebLength(byte[] bytes, int at) {
        int length = 1;
        while (at + length - 1 < bytes.length && (bytes[at + length - 1] & 0x80) != 0 && length < 5) {
            length++;
        }
        return length;
    }

    /** e_shoff, e_shnum, e_shstrndx, e_shentsize or e_phoff of the 64-bit ELF header set to something absurd. */
    private byte[] elfHeaderField(byte[] seed) {
        byte[] copy = seed.clone();
        ByteBuffer elf = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        switch (random.nextInt(5)) {
            case 0 -> elf.putLong(0x28, absurdLong());
            case 1 -> elf.putShort(0x3C, (short) random.nextInt(1 << 16));
            case 2 -> elf.putShort(0x3E, (short) random.nextInt(1 << 16));
            case 3 -> elf.putShort(0x3A, (short) random.nextInt(1 << 16));
            default -> elf.putLong(0x20, absurdLong());
        }
        return copy;
    }

    /** One field of one section header (type, offset, size, link, info, entsize) set to something absurd. */
    private byte[] elfSectionHeaderField(byte[] seed) {
        byte[] copy = seed.clone();
        ByteBuffer elf = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = elf.getLong(0x28);
        int shnum = elf.getShort(0x3C) & 0xFFFF;
        if (shoff <= 0 || shnum == 0 || shoff + 64L * shnum > copy.length) {
            return flipBits(seed, 4);
        }
        int header = (int) shoff + 64 * random.nextInt(shnum);
        switch (random.nextInt(6)) {
            case 0 -> elf.putInt(header + 4, random.nextInt(20));
            case 1 -> elf.putLong(header + 0x18, absurdLong());
            case 2 -> elf.putLong(header + 0x20, absurdLong());
            case 3 -> elf.putInt(header + 0x28, random.nextInt(1 << 16));
            case 4 -> elf.putInt(header + 0x2C, random.nextInt());
            default -> elf.putLong(header + 0x38, absurdLong());
        }
        return copy;
    }

    private long absurdLong() {
        long[] values = {
            0, 1, -1, Long.MAX_VALUE, 0xFFFF_FFFFL, 0x7FFF_FFFFL, random.nextLong(), random.nextInt(1 << 20)
        };
        return values[random.nextInt(values.length)];
    }
}
