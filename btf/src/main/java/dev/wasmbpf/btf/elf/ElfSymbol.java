package dev.wasmbpf.btf.elf;

/** One Elf64_Sym entry; {@code sectionIndex} is st_shndx (0 = undefined, 0xfff1 = absolute). */
public record ElfSymbol(
        int index, String name, int bind, int kind, int visibility, int sectionIndex, long value, long size) {
    public static final int STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
    public static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3;

    public boolean isFunction() {
        return kind == STT_FUNC;
    }
}
