package dev.wasmbpf.btf.elf;

import dev.wasmbpf.btf.BtfType.Datasec;
import java.util.Optional;

/**
 * A global-data section that libbpf turns into an internal, mmapable map. {@code ident} is the
 * C identifier bpftool's skeleton uses for it ("rodata", "data_custom", "bss"). {@code layout}
 * is its DATASEC with the size and variable offsets that clang leaves as 0 filled in from the
 * ELF section and symbols, like libbpf's btf_fixup_datasec() does.
 */
public record DataSection(
        String name, String ident, long size, boolean readOnly, Optional<Datasec> layout, byte[] initialBytes) {}
