package dev.wasmbpf.btf.elf;

/** One section header of an ELF64 file (Elf64_Shdr), with its name resolved. */
public record ElfSection(
        int index,
        String name,
        int type,
        long flags,
        long offset,
        long size,
        int link,
        int info,
        long addralign,
        long entsize) {
    public static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOBITS = 8, SHT_REL = 9;
    public static final long SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;

    public boolean executable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    public boolean hasFileData() {
        return type != SHT_NOBITS;
    }
}
