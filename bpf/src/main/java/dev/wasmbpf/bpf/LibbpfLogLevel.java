package dev.wasmbpf.bpf;

/** Mirrors {@code enum libbpf_print_level} in {@code /usr/include/bpf/libbpf.h}, in order. */
public enum LibbpfLogLevel {
    WARN,
    INFO,
    DEBUG;

    /** The level for a raw {@code enum libbpf_print_level}; DEBUG for unknown values. */
    public static LibbpfLogLevel of(int raw) {
        return raw >= 0 && raw < values().length ? values()[raw] : DEBUG;
    }
}
