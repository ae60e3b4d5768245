package dev.wasmbpf.oci.inspect;

import java.util.List;
import java.util.Optional;

/**
 * The program type libbpf picks from an ELF section name, following libbpf's section_defs table
 * (libbpf.c), with the first release that has the type and any config option attach needs.
 */
public record ProgramType(String name, KernelVersion since, Optional<String> needs) {
    private record Rule(String section, boolean prefix, ProgramType type) {
        boolean matches(String given) {
            return prefix ? given.startsWith(section) : given.equals(section) || given.startsWith(section + "/");
        }
    }

    private static ProgramType type(String name, int major, int minor) {
        return new ProgramType(name, KernelVersion.of(major, minor), Optional.empty());
    }

    private static ProgramType type(String name, int major, int minor, String needs) {
        return new ProgramType(name, KernelVersion.of(major, minor), Optional.of(needs));
    }

    private static final String KPROBES = "CONFIG_KPROBES";
    private static final String UPROBES = "CONFIG_UPROBE_EVENTS";
    private static final String TRAMPOLINE = "kernel BTF and BPF trampolines (CONFIG_DEBUG_INFO_BTF, x86-64/arm64)";

    // Longest names first where one is a prefix of another (kprobe.multi/ before kprobe/).
    private static final List<Rule> RULES = List.of(
            new Rule("tp_btf/", true, type("tracing (tp_btf)", 5, 5, TRAMPOLINE)),
            new Rule("tp/", true, type("tracepoint", 4, 7)),
            new Rule("tracepoint/", true, type("tracepoint", 4, 7)),
            new Rule("raw_tp.w/", true, type("raw_tracepoint_writable", 5, 2)),
            new Rule("raw_tracepoint.w/", true, type("raw_tracepoint_writable", 5, 2)),
            new Rule("raw_tp/", true, type("raw_tracepoint", 4, 17)),
            new Rule("raw_tracepoint/", true, type("raw_tracepoint", 4, 17)),
            new Rule("kprobe.multi/", true, type("kprobe (multi)", 5, 18, KPROBES)),
            new Rule("kretprobe.multi/", true, type("kprobe (multi)", 5, 18, KPROBES)),
            new Rule("kprobe/", true, type("kprobe", 4, 1, KPROBES)),
            new Rule("kretprobe/", true, type("kprobe", 4, 1, KPROBES)),
            new Rule("ksyscall/", true, type("kprobe (syscall)", 4, 1, KPROBES)),
            new Rule("kretsyscall/", true, type("kprobe (syscall)", 4, 1, KPROBES)),
            new Rule("uprobe.multi", true, type("kprobe (uprobe multi)", 6, 6, UPROBES)),
            new Rule("uretprobe.multi", true, type("kprobe (uprobe multi)", 6, 6, UPROBES)),
            new Rule("uprobe", true, type("kprobe (uprobe)", 4, 3, UPROBES)),
            new Rule("uretprobe", true, type("kprobe (uprobe)", 4, 3, UPROBES)),
            new Rule("usdt", true, type("kprobe (usdt)", 4, 3, UPROBES)),
            new Rule("fentry", true, type("tracing (fentry)", 5, 5, TRAMPOLINE)),
            new Rule("fexit", true, type("tracing (fexit)", 5, 5, TRAMPOLINE)),
            new Rule("fmod_ret", true, type("tracing (fmod_ret)", 5, 7, TRAMPOLINE)),
            new Rule("iter", true, type("tracing (iter)", 5, 8, TRAMPOLINE)),
            new Rule("lsm", true, type("lsm", 5, 7, "CONFIG_BPF_LSM and bpf in the lsm= list")),
            new Rule("struct_ops", true, type("struct_ops", 5, 6, TRAMPOLINE)),
            new Rule("perf_event", false, type("perf_event", 4, 9)),
            new Rule("socket", false, type("socket_filter", 3, 19)),
            new Rule("sk_reuseport", false, type("sk_reuseport", 4, 19)),
            new Rule("sk_skb", false, type("sk_skb", 4, 14)),
            new Rule("sk_msg", false, type("sk_msg", 4, 17)),
            new Rule("sk_lookup", false, type("sk_lookup", 5, 9)),
            new Rule("xdp", true, type("xdp", 4, 8)),
            new Rule("tcx/", true, type("sched_cls (tcx)", 6, 6)),
            new Rule("tc", false, type("sched_cls", 4, 1)),
            new Rule("classifier", false, type("sched_cls", 4, 1)),
            new Rule("action", false, type("sched_act", 4, 1)),
            new Rule("cgroup_skb/", true, type("cgroup_skb", 4, 10)),
            new Rule("cgroup/skb", false, type("cgroup_skb", 4, 10)),
            new Rule("cgroup/dev", false, type("cgroup_device", 4, 15)),
            new Rule("cgroup/sysctl", false, type("cgroup_sysctl", 5, 2)),
            new Rule("cgroup/getsockopt", false, type("cgroup_sockopt", 5, 3)),
            new Rule("cgroup/setsockopt", false, type("cgroup_sockopt", 5, 3)),
            new Rule("cgroup/sock", true, type("cgroup_sock", 4, 10)),
            new Rule("cgroup/post_bind", true, type("cgroup_sock", 4, 17)),
            new Rule("cgroup/", true, type("cgroup_sock_addr", 4, 17)),
            new Rule("sockops", false, type("sock_ops", 4, 13)),
            new Rule("flow_dissector", false, type("flow_dissector", 4, 20)),
            new Rule("lwt_", true, type("lwt", 4, 10)),
            new Rule("lirc_mode2", false, type("lirc_mode2", 4, 18)),
            new Rule("netfilter", false, type("netfilter", 6, 4)),
            new Rule("syscall", false, type("syscall", 5, 14)));

    /** The type libbpf would give a program in {@code section}; empty for sections libbpf does not know. */
    public static Optional<ProgramType> ofSection(String section) {
        return RULES.stream().filter(rule -> rule.matches(section)).map(Rule::type).findFirst();
    }
}
