package dev.wasmbpf.btf.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed ELF64 relocatable or executable file (as clang -target bpf writes them): section
 * headers, the symbol table and relocations. Bounds are checked for every header, table and
 * string, so any byte sequence either parses or fails with an {@link ElfFormatException}.
 */
public final class ElfFile {
    public static final int EM_BPF = 247;
    private static final int EHDR_SIZE = 64, SHDR_SIZE = 64, SYM_SIZE = 24;

    private final byte[] bytes;
    private final ByteOrder order;
    private final int machine;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;
    private final List<ElfRelocation> relocations;

    private ElfFile(
            byte[] bytes,
            ByteOrder order,
            int machine,
            List<ElfSection> sections,
            List<ElfSymbol> symbols,
            List<ElfRelocation> relocations) {
        this.bytes = bytes;
        this.order = order;
        this.machine = machine;
        this.sections = sections;
        this.symbols = symbols;
        this.relocations = relocations;
    }

    /** Whether the bytes start with the ELF magic (to tell objects from raw BTF). */
    public static boolean looksLikeElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    public static ElfFile parse(byte[] bytes) throws ElfFormatException {
        if (bytes.length < EHDR_SIZE) {
            throw new ElfFormatException(0, "expected a 64-byte ELF header, the file has " + bytes.length + " bytes");
        }
        if (!looksLikeElf(bytes)) throw new ElfFormatException(0, "expected the ELF magic 7f 45 4c 46");
        if (bytes[4] != 2) throw new ElfFormatException(4, "expected ELFCLASS64 (2), found " + bytes[4]);
        ByteOrder order = switch (bytes[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default ->
                throw new ElfFormatException(5, "expected ELFDATA2LSB (1) or ELFDATA2MSB (2), found " + bytes[5]);
        };
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        int machine = b.getShort(18) & 0xFFFF;
        long shoff = b.getLong(40);
        int shentsize = b.getShort(58) & 0xFFFF;
        long shnum = b.getShort(60) & 0xFFFF;
        int shstrndx = b.getShort(62) & 0xFFFF;
        if (shoff == 0) return new ElfFile(bytes, order, machine, List.of(), List.of(), List.of());
        if (shentsize != SHDR_SIZE)
            throw new ElfFormatException(58, "expected section header size 64, found " + shentsize);
        if (shoff < 0 || shoff > bytes.length - SHDR_SIZE) {
            throw new ElfFormatException(
                    40,
                    "section header table offset " + Long.toUnsignedString(shoff) + " lies outside the " + bytes.length
                            + "-byte file");
        }
        if (shnum == 0) shnum = b.getLong((int) shoff + 32); // extended numbering: count in section 0's sh_size
        if (shstrndx == 0xFFFF) shstrndx = b.getInt((int) shoff + 40); // SHN_XINDEX: index in section 0's sh_link
        if (shnum < 0 || shnum > (bytes.length - shoff) / SHDR_SIZE) {
            throw new ElfFormatException(
                    60,
                    shnum + " section headers at offset " + shoff + " do not fit in the " + bytes.length
                            + "-byte file");
        }
        int n = (int) shnum;
        long[][] raw = new long[n][];
        for (int i = 0; i < n; i++) {
            int h = (int) shoff + i * SHDR_SIZE;
            raw[i] = new long[] {
                b.getInt(h) & 0xFFFFFFFFL,
                b.getInt(h + 4) & 0xFFFFFFFFL,
                b.getLong(h + 8),
                b.getLong(h + 24),
                b.getLong(h + 32),
                b.getInt(h + 40) & 0xFFFFFFFFL,
                b.getInt(h + 44) & 0xFFFFFFFFL,
                b.getLong(h + 48),
                b.getLong(h + 56)
            };
            int type = (int) raw[i][1];
            long off = raw[i][3], size = raw[i][4];
            if (type != ElfSection.SHT_NOBITS
                    && type != 0
                    && (off < 0 || size < 0 || off > bytes.length || size > bytes.length - off)) {
                throw new ElfFormatException(
                        h + 24,
                        "section " + i + " data [" + Long.toUnsignedString(off) + ", +" + Long.toUnsignedString(size)
                                + ") lies outside the " + bytes.length + "-byte file");
            }
        }
        if (shstrndx < 0 || shstrndx >= n)
            throw new ElfFormatException(62, "section name table index " + shstrndx + " >= section count " + n);
        long[] names = raw[shstrndx];
        List<ElfSection> sections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long[] r = raw[i];
            String name = i == 0 ? "" : string(bytes, names, r[0], (int) shoff + i * SHDR_SIZE, "section name");
            sections.add(new ElfSection(i, name, (int) r[1], r[2], r[3], r[4], (int) r[5], (int) r[6], r[7], r[8]));
        }
        List<ElfSymbol> symbols = readSymbols(bytes, b, sections, raw);
        List<ElfRelocation> relocations = readRelocations(b, sections, symbols.size());
        return new ElfFile(
                bytes,
                order,
                machine,
                Collections.unmodifiableList(sections),
                Collections.unmodifiableList(symbols),
                Collections.unmodifiableList(relocations));
    }

    private static List<ElfSymbol> readSymbols(byte[] bytes, ByteBuffer b, List<ElfSection> sections, long[][] raw)
            throws ElfFormatException {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                if (symtab != null)
                    throw new ElfFormatException(
                            s.offset(), "expected one symbol table, found a second in section " + s.index());
                symtab = s;
            }
        }
        if (symtab == null) return List.of();
        if (symtab.link() <= 0
                || symtab.link() >= sections.size()
                || sections.get(symtab.link()).type() != ElfSection.SHT_STRTAB) {
            throw new ElfFormatException(
                    symtab.offset(),
                    "symbol table section " + symtab.index() + " must link to a string table, links to "
                            + symtab.link());
        }
        long[] strtab = raw[symtab.link()];
        int count = (int) (symtab.size() / SYM_SIZE);
        List<ElfSymbol> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = (int) symtab.offset() + i * SYM_SIZE;
            long nameOff = b.getInt(at) & 0xFFFFFFFFL;
            int info = bytes[at + 4] & 0xFF;
            String name = nameOff == 0 ? "" : string(bytes, strtab, nameOff, at, "symbol name");
            symbols.add(new ElfSymbol(
                    i,
                    name,
                    info >>> 4,
                    info & 0xF,
                    bytes[at + 5] & 3,
                    b.getShort(at + 6) & 0xFFFF,
                    b.getLong(at + 8),
                    b.getLong(at + 16)));
        }
        return symbols;
    }

    private static List<ElfRelocation> readRelocations(ByteBuffer b, List<ElfSection> sections, int symbolCount)
            throws ElfFormatException {
        List<ElfRelocation> relocations = new ArrayList<>();
        for (ElfSection s : sections) {
            boolean rela = s.type() == ElfSection.SHT_RELA;
            if (s.type() != ElfSection.SHT_REL && !rela) continue;
            int entry = rela ? 24 : 16;
            if (s.info() <= 0 || s.info() >= sections.size()) {
                throw new ElfFormatException(
                        s.offset(),
                        "relocation section " + s.name() + " applies to section " + s.info()
                                + ", which does not exist");
            }
            long count = s.size() / entry;
            for (int i = 0; i < count; i++) {
                int at = (int) s.offset() + i * entry;
                long info = b.getLong(at + 8);
                long sym = info >>> 32;
                if (sym >= symbolCount) {
                    throw new ElfFormatException(
                            at + 8,
                            "relocation " + i + " of " + s.name() + " refers to symbol " + sym
                                    + ", but the symbol table has " + symbolCount);
                }
                relocations.add(new ElfRelocation(
                        s.info(), b.getLong(at), (int) info, (int) sym, rela ? b.getLong(at + 16) : 0));
            }
        }
        return relocations;
    }

    private static String string(byte[] bytes, long[] table, long offset, long where, String what)
            throws ElfFormatException {
        long tableOff = table[3], tableSize = table[4];
        if (table[1] != ElfSection.SHT_STRTAB
                || tableOff < 0
                || tableSize < 0
                || tableOff > bytes.length
                || tableSize > bytes.length - tableOff) {
            throw new ElfFormatException(
                    where, what + " refers to a string table that is not a SHT_STRTAB section inside the file");
        }
        if (offset >= tableSize) {
            throw new ElfFormatException(
                    where, what + " offset " + offset + " lies outside its " + tableSize + "-byte string table");
        }
        int start = (int) (tableOff + offset), end = (int) (tableOff + tableSize), p = start;
        while (p < end && bytes[p] != 0) p++;
        if (p == end) throw new ElfFormatException(start, what + " is not NUL-terminated inside its string table");
        return new String(bytes, start, p - start, StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        return bytes;
    }

    public ByteOrder byteOrder() {
        return order;
    }

    /** e_machine; {@link #EM_BPF} for BPF objects. */
    public int machine() {
        return machine;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public List<ElfSymbol> symbols() {
        return symbols;
    }

    public List<ElfRelocation> relocations() {
        return relocations;
    }

    public Optional<ElfSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A copy of the section's bytes (empty for SHT_NOBITS such as .bss). */
    public byte[] contents(ElfSection s) {
        if (!s.hasFileData() || s.type() == 0) return new byte[0];
        byte[] out = new byte[(int) s.size()];
        System.arraycopy(bytes, (int) s.offset(), out, 0, out.length);
        return out;
    }
}
