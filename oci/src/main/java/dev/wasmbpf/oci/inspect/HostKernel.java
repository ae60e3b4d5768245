package dev.wasmbpf.oci.inspect;

import dev.wasmbpf.bpf.KernelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel a module would run on, as far as a static check can tell: its release (uname -r)
 * and files that reveal config options (kernel BTF, kprobe/uprobe events in tracefs).
 */
public record HostKernel(Optional<KernelVersion> version, Predicate<Path> exists) {
    public enum Verdict {
        MET,
        NOT_MET,
        UNKNOWN
    }

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+).*");
    private static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");

    /** This machine, from os.version (the JVM's uname -r). */
    public static HostKernel current() {
        return new HostKernel(parse(System.getProperty("os.version", "")), Files::exists);
    }

    static Optional<KernelVersion> parse(String release) {
        Matcher m = RELEASE.matcher(release);
        return m.matches()
                ? Optional.of(KernelVersion.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }

    public Verdict check(KernelRequirement requirement) {
        if (requirement.since().isPresent()) {
            return version.map(v -> v.compareTo(requirement.since().get()) >= 0 ? Verdict.MET : Verdict.NOT_MET)
                    .orElse(Verdict.UNKNOWN);
        }
        String feature = requirement.feature();
        // Trampolines (fentry, lsm) need more than BTF, and no file tells: those stay UNKNOWN.
        if (feature.equals(KernelRequirement.KERNEL_BTF)) {
            return exists.test(VMLINUX_BTF) ? Verdict.MET : Verdict.NOT_MET;
        }
        if (feature.equals("CONFIG_KPROBES")) {
            return anyExists("kprobe_events") ? Verdict.MET : Verdict.NOT_MET;
        }
        if (feature.equals("CONFIG_UPROBE_EVENTS")) {
            return anyExists("uprobe_events") ? Verdict.MET : Verdict.NOT_MET;
        }
        return Verdict.UNKNOWN;
    }

    private boolean anyExists(String tracefsFile) {
        return exists.test(Path.of("/sys/kernel/tracing", tracefsFile))
                || exists.test(Path.of("/sys/kernel/debug/tracing", tracefsFile));
    }
}
