package dev.wasmbpf.oci.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbpf.bpf.KernelVersion;
import dev.wasmbpf.bpf.SectionTable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostKernelTest {
    @Test
    void releasesParseFromUnameStrings() {
        assertEquals(Optional.of(KernelVersion.of(6, 18)), HostKernel.parse("6.18.44-fc-v782"));
        assertEquals(Optional.of(KernelVersion.of(5, 4)), HostKernel.parse("5.4.0-150-generic"));
        assertEquals(Optional.empty(), HostKernel.parse("unknown"));
    }

    @Test
    void versionsAndConfigFilesDecideTheVerdicts() {
        Set<Path> files = Set.of(Path.of("/sys/kernel/btf/vmlinux"), Path.of("/sys/kernel/tracing/uprobe_events"));
        HostKernel host = new HostKernel(Optional.of(KernelVersion.of(5, 10)), files::contains);
        KernelRequirement ringbuf = KernelRequirement.since("map type ringbuf", KernelVersion.of(5, 8), "map rb");
        KernelRequirement userRingbuf =
                KernelRequirement.since("map type user_ringbuf", KernelVersion.of(6, 1), "map urb");
        assertEquals(HostKernel.Verdict.MET, host.check(ringbuf));
        assertEquals(HostKernel.Verdict.NOT_MET, host.check(userRingbuf));
        assertEquals(
                HostKernel.Verdict.MET,
                host.check(KernelRequirement.config(KernelRequirement.KERNEL_BTF, "3 CO-RE relocations")));
        assertEquals(HostKernel.Verdict.NOT_MET, host.check(KernelRequirement.config("CONFIG_KPROBES", "to attach p")));
        assertEquals(
                HostKernel.Verdict.MET, host.check(KernelRequirement.config("CONFIG_UPROBE_EVENTS", "to attach u")));
        assertEquals(
                HostKernel.Verdict.UNKNOWN,
                host.check(KernelRequirement.config("CONFIG_BPF_LSM and bpf in the lsm= list", "to attach l")));
        String trampolines =
                SectionTable.lookup("fentry/do_unlinkat").orElseThrow().needs().orElseThrow();
        assertEquals(HostKernel.Verdict.UNKNOWN, host.check(KernelRequirement.config(trampolines, "to attach f")));
        assertEquals(HostKernel.Verdict.UNKNOWN, new HostKernel(Optional.empty(), files::contains).check(ringbuf));
    }
}
