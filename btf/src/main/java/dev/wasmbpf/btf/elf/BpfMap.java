package dev.wasmbpf.btf.elf;

/**
 * A map as libbpf will create it from the object: a user map from the .maps section (or the
 * legacy "maps" section), or an internal map backing a global-data section (.rodata, .data, .bss
 * and their ".name" variants, .kconfig). {@code mapType}, {@code maxEntries} and the key/value
 * type ids are -1/0 when the definition does not say (legacy maps, internal maps).
 */
public record BpfMap(
        String name, String section, boolean internal, int mapType, long maxEntries, int keyType, int valueType) {}
