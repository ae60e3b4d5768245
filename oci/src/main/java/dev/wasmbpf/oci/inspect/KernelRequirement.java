package dev.wasmbpf.oci.inspect;

import dev.wasmbpf.bpf.KernelVersion;
import java.util.Optional;

/**
 * Something the kernel must offer for a module to load: a program or map type from a release on,
 * BTF for CO-RE, or a config option. {@code since} is empty when no release number says it all
 * (a config option such as CONFIG_KPROBES).
 */
public record KernelRequirement(String feature, Optional<KernelVersion> since, String why) {
    /** What CO-RE relocations need: the running kernel's own BTF. */
    public static final String KERNEL_BTF = "kernel BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)";

    public static KernelRequirement since(String feature, KernelVersion version, String why) {
        return new KernelRequirement(feature, Optional.of(version), why);
    }

    public static KernelRequirement config(String feature, String why) {
        return new KernelRequirement(feature, Optional.empty(), why);
    }

    @Override
    public String toString() {
        return feature + since.map(v -> " (Linux >= " + v + ")").orElse("") + ": " + why;
    }
}
