package dev.wasmbpf.runtime.abi;

/** What an attach target means, decided by the program's ELF section name (libbpf's conventions). */
enum AttachKind {
    AUTO, CGROUP, XDP, TC, SOCKET_FILTER, UPROBE, URETPROBE;

    static AttachKind ofSection(String section) {
        if (section.equals("sockops") || section.startsWith("cgroup/") || section.startsWith("cgroup_skb/")
                || section.startsWith("cgroup_sock")) {
            return CGROUP;
        }
        if (section.equals("xdp") || section.equals("xdp.frags") || section.startsWith("xdp/")) {
            return XDP;
        }
        if (section.equals("tc") || section.startsWith("tc/") || section.startsWith("tcx/")
                || section.equals("classifier")) {
            return TC;
        }
        if (section.equals("socket") || section.startsWith("socket/")) {
            return SOCKET_FILTER;
        }
        // With a path in the section ("uprobe/bin:func") libbpf attaches by itself.
        if (section.equals("uprobe") || section.equals("uprobe/")) {
            return UPROBE;
        }
        if (section.equals("uretprobe") || section.equals("uretprobe/")) {
            return URETPROBE;
        }
        return AUTO;
    }
}
