package dev.wasmbpf.bpf;

import java.util.List;
import java.util.Optional;

/**
 * libbpf's section-name conventions, in the one place this project keeps them: for an ELF section such as
 * {@code tp/sched/sched_process_exec} or {@code cgroup_skb/ingress}, the program type libbpf picks (after
 * {@code section_defs} in libbpf.c), the first Linux release that has it, what else attaching needs, and what
 * an attach target means for it. The runtime's attach reads it, {@code inspect} reads it, and the guest SDKs
 * read it through headers generated from it ({@link SectionHeaders}; a test fails when they drift).
 *
 * <p>{@code tcx/} sections: libbpf 1.3+ attaches them as tcx links (Linux 6.6), and {@code inspect} says so;
 * the libbpf 1.1 this runtime loads with does not know the section, so an attach target for a {@code tc}
 * program always goes to the clsact qdisc ({@link dev.wasmbpf.bpf.link.Tc}), as it does for every {@code tc} program.
 */
public final class SectionTable {
    private SectionTable() {}

    /** How a row's pattern is compared with a section name. */
    public enum Match {
        /** The section starts with the pattern. */
        PREFIX,
        /** The section is the pattern. */
        EXACT,
        /** The section is the pattern, or the pattern followed by "/" and anything. */
        EXACT_OR_SLASH
    }

    /** What the target string a guest passes to attach means for a program of the section. */
    public enum AttachTarget {
        /** libbpf attaches it by itself from the section name; a target is not needed. */
        LIBBPF,
        /** A cgroup v2 directory. */
        CGROUP,
        /** A network interface: XDP. */
        XDP_INTERFACE,
        /** A network interface: tc, ingress. */
        TC_INGRESS,
        /** A network interface: tc, egress. */
        TC_EGRESS,
        /** A network interface: a socket filter on a raw AF_PACKET socket bound to it. */
        SOCKET_INTERFACE,
        /** "binary:function" for a uprobe. */
        UPROBE,
        /** "binary:function" for a uretprobe. */
        URETPROBE,
        /** No attach path here (the program is used some other way, e.g. from a map, or not at all). */
        NONE
    }

    /** One row of the table. */
    public record Section(
            String pattern,
            Match match,
            String typeName,
            KernelVersion since,
            Optional<String> needs,
            AttachTarget target) {
        public boolean matches(String section) {
            return switch (match) {
                case PREFIX -> section.startsWith(pattern);
                case EXACT -> section.equals(pattern);
                case EXACT_OR_SLASH -> section.equals(pattern) || section.startsWith(pattern + "/");
            };
        }

        /** Whether libbpf attaches such a program without being told where (it has an {@code attach_fn}). */
        public boolean autoAttach() {
            return target == AttachTarget.LIBBPF;
        }
    }

    private static final String KPROBES = "CONFIG_KPROBES";
    private static final String UPROBES = "CONFIG_UPROBE_EVENTS";
    private static final String TRAMPOLINE = "kernel BTF and BPF trampolines (CONFIG_DEBUG_INFO_BTF, x86-64/arm64)";
    private static final String LSM = "CONFIG_BPF_LSM and bpf in the lsm= list";

    /** First match wins: longer patterns come before the shorter ones they start with. */
    public static final List<Section> SECTIONS = List.of(
            row("tp_btf/", Match.PREFIX, "tracing (tp_btf)", 5, 5, TRAMPOLINE, AttachTarget.LIBBPF),
            row("tp/", Match.PREFIX, "tracepoint", 4, 7, null, AttachTarget.LIBBPF),
            row("tracepoint/", Match.PREFIX, "tracepoint", 4, 7, null, AttachTarget.LIBBPF),
            row("raw_tp.w/", Match.PREFIX, "raw_tracepoint_writable", 5, 2, null, AttachTarget.LIBBPF),
            row("raw_tracepoint.w/", Match.PREFIX, "raw_tracepoint_writable", 5, 2, null, AttachTarget.LIBBPF),
            row("raw_tp/", Match.PREFIX, "raw_tracepoint", 4, 17, null, AttachTarget.LIBBPF),
            row("raw_tracepoint/", Match.PREFIX, "raw_tracepoint", 4, 17, null, AttachTarget.LIBBPF),
            row("kprobe.multi/", Match.PREFIX, "kprobe (multi)", 5, 18, KPROBES, AttachTarget.LIBBPF),
            row("kretprobe.multi/", Match.PREFIX, "kprobe (multi)", 5, 18, KPROBES, AttachTarget.LIBBPF),
            row("kprobe/", Match.PREFIX, "kprobe", 4, 1, KPROBES, AttachTarget.LIBBPF),
            row("kretprobe/", Match.PREFIX, "kprobe", 4, 1, KPROBES, AttachTarget.LIBBPF),
            row("ksyscall/", Match.PREFIX, "kprobe (syscall)", 4, 1, KPROBES, AttachTarget.LIBBPF),
            row("kretsyscall/", Match.PREFIX, "kprobe (syscall)", 4, 1, KPROBES, AttachTarget.LIBBPF),
            row("uprobe.multi", Match.PREFIX, "kprobe (uprobe multi)", 6, 6, UPROBES, AttachTarget.NONE),
            row("uretprobe.multi", Match.PREFIX, "kprobe (uprobe multi)", 6, 6, UPROBES, AttachTarget.NONE),
            // A bare uprobe section takes "binary:function" from the guest; with a path in the section
            // ("uprobe/bin:func") libbpf attaches by itself.
            row("uprobe", Match.EXACT, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.UPROBE),
            row("uprobe/", Match.EXACT, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.UPROBE),
            row("uretprobe", Match.EXACT, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.URETPROBE),
            row("uretprobe/", Match.EXACT, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.URETPROBE),
            row("uprobe/", Match.PREFIX, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.LIBBPF),
            row("uprobe.s/", Match.PREFIX, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.LIBBPF),
            row("uretprobe/", Match.PREFIX, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.LIBBPF),
            row("uretprobe.s/", Match.PREFIX, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.LIBBPF),
            row("uprobe", Match.PREFIX, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.NONE),
            row("uretprobe", Match.PREFIX, "kprobe (uprobe)", 4, 3, UPROBES, AttachTarget.NONE),
            row("usdt/", Match.PREFIX, "kprobe (usdt)", 4, 3, UPROBES, AttachTarget.LIBBPF),
            row("usdt", Match.PREFIX, "kprobe (usdt)", 4, 3, UPROBES, AttachTarget.NONE),
            row("fentry/", Match.PREFIX, "tracing (fentry)", 5, 5, TRAMPOLINE, AttachTarget.LIBBPF),
            row("fentry.s/", Match.PREFIX, "tracing (fentry)", 5, 5, TRAMPOLINE, AttachTarget.LIBBPF),
            row("fentry", Match.PREFIX, "tracing (fentry)", 5, 5, TRAMPOLINE, AttachTarget.NONE),
            row("fexit/", Match.PREFIX, "tracing (fexit)", 5, 5, TRAMPOLINE, AttachTarget.LIBBPF),
            row("fexit.s/", Match.PREFIX, "tracing (fexit)", 5, 5, TRAMPOLINE, AttachTarget.LIBBPF),
            row("fexit", Match.PREFIX, "tracing (fexit)", 5, 5, TRAMPOLINE, AttachTarget.NONE),
            row("fmod_ret/", Match.PREFIX, "tracing (fmod_ret)", 5, 7, TRAMPOLINE, AttachTarget.LIBBPF),
            row("fmod_ret.s/", Match.PREFIX, "tracing (fmod_ret)", 5, 7, TRAMPOLINE, AttachTarget.LIBBPF),
            row("fmod_ret", Match.PREFIX, "tracing (fmod_ret)", 5, 7, TRAMPOLINE, AttachTarget.NONE),
            row("iter/", Match.PREFIX, "tracing (iter)", 5, 8, TRAMPOLINE, AttachTarget.LIBBPF),
            row("iter.s/", Match.PREFIX, "tracing (iter)", 5, 8, TRAMPOLINE, AttachTarget.LIBBPF),
            row("iter", Match.PREFIX, "tracing (iter)", 5, 8, TRAMPOLINE, AttachTarget.NONE),
            row("lsm/", Match.PREFIX, "lsm", 5, 7, LSM, AttachTarget.LIBBPF),
            row("lsm.s/", Match.PREFIX, "lsm", 5, 7, LSM, AttachTarget.LIBBPF),
            row("lsm", Match.PREFIX, "lsm", 5, 7, LSM, AttachTarget.NONE),
            row("struct_ops", Match.PREFIX, "struct_ops", 5, 6, TRAMPOLINE, AttachTarget.NONE),
            row("perf_event", Match.EXACT_OR_SLASH, "perf_event", 4, 9, null, AttachTarget.NONE),
            row("socket", Match.EXACT_OR_SLASH, "socket_filter", 3, 19, null, AttachTarget.SOCKET_INTERFACE),
            row("sk_reuseport", Match.EXACT_OR_SLASH, "sk_reuseport", 4, 19, null, AttachTarget.NONE),
            row("sk_skb", Match.EXACT_OR_SLASH, "sk_skb", 4, 14, null, AttachTarget.NONE),
            row("sk_msg", Match.EXACT_OR_SLASH, "sk_msg", 4, 17, null, AttachTarget.NONE),
            row("sk_lookup", Match.EXACT_OR_SLASH, "sk_lookup", 5, 9, null, AttachTarget.NONE),
            row("xdp", Match.PREFIX, "xdp", 4, 8, null, AttachTarget.XDP_INTERFACE),
            row("tcx/egress", Match.EXACT, "sched_cls (tcx)", 6, 6, null, AttachTarget.TC_EGRESS),
            row("tcx/", Match.PREFIX, "sched_cls (tcx)", 6, 6, null, AttachTarget.TC_INGRESS),
            row("tc/egress", Match.EXACT, "sched_cls", 4, 1, null, AttachTarget.TC_EGRESS),
            row("tc", Match.EXACT_OR_SLASH, "sched_cls", 4, 1, null, AttachTarget.TC_INGRESS),
            row("classifier", Match.EXACT_OR_SLASH, "sched_cls", 4, 1, null, AttachTarget.TC_INGRESS),
            row("action", Match.EXACT_OR_SLASH, "sched_act", 4, 1, null, AttachTarget.NONE),
            row("cgroup_skb/", Match.PREFIX, "cgroup_skb", 4, 10, null, AttachTarget.CGROUP),
            row("cgroup/skb", Match.EXACT_OR_SLASH, "cgroup_skb", 4, 10, null, AttachTarget.CGROUP),
            row("cgroup/dev", Match.EXACT_OR_SLASH, "cgroup_device", 4, 15, null, AttachTarget.CGROUP),
            row("cgroup/sysctl", Match.EXACT_OR_SLASH, "cgroup_sysctl", 5, 2, null, AttachTarget.CGROUP),
            row("cgroup/getsockopt", Match.EXACT_OR_SLASH, "cgroup_sockopt", 5, 3, null, AttachTarget.CGROUP),
            row("cgroup/setsockopt", Match.EXACT_OR_SLASH, "cgroup_sockopt", 5, 3, null, AttachTarget.CGROUP),
            row("cgroup/sock", Match.PREFIX, "cgroup_sock", 4, 10, null, AttachTarget.CGROUP),
            row("cgroup/post_bind", Match.PREFIX, "cgroup_sock", 4, 17, null, AttachTarget.CGROUP),
            row("cgroup/", Match.PREFIX, "cgroup_sock_addr", 4, 17, null, AttachTarget.CGROUP),
            row("sockops", Match.EXACT_OR_SLASH, "sock_ops", 4, 13, null, AttachTarget.CGROUP),
            row("flow_dissector", Match.EXACT_OR_SLASH, "flow_dissector", 4, 20, null, AttachTarget.NONE),
            row("lwt_", Match.PREFIX, "lwt", 4, 10, null, AttachTarget.NONE),
            row("lirc_mode2", Match.EXACT_OR_SLASH, "lirc_mode2", 4, 18, null, AttachTarget.NONE),
            row("netfilter", Match.EXACT_OR_SLASH, "netfilter", 6, 4, null, AttachTarget.NONE),
            row("syscall", Match.EXACT_OR_SLASH, "syscall", 5, 14, null, AttachTarget.NONE));

    private static Section row(
            String pattern, Match match, String typeName, int major, int minor, String needs, AttachTarget target) {
        return new Section(
                pattern, match, typeName, KernelVersion.of(major, minor), Optional.ofNullable(needs), target);
    }

    /** The row for {@code section}; empty for sections libbpf does not know. */
    public static Optional<Section> lookup(String section) {
        for (Section row : SECTIONS) {
            if (row.matches(section)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    /** What an attach target means for a program of {@code section}: {@link AttachTarget#LIBBPF} if unknown. */
    public static AttachTarget attachTarget(String section) {
        return lookup(section).map(Section::target).orElse(AttachTarget.LIBBPF);
    }
}
