package dev.wasmbpf.btf.elf;

/**
 * One relocation of section {@code targetSection}: the symbol at {@code symbol} is patched in at
 * {@code offset}. For BPF, type 1 (R_BPF_64_64) is a map or global-data reference from an
 * ld_imm64 instruction and type 10 (R_BPF_64_32) a call to a subprogram.
 */
public record ElfRelocation(int targetSection, long offset, int type, int symbol, long addend) {}
