/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generated from dev.wasmbpf.bpf.SectionTable: do not edit. Regenerate from the repository's root:
 *   java -cp bpf/target/classes dev.wasmbpf.bpf.SectionHeaders .
 *
 * libbpf's section names, first matching row wins; auto_attach is whether libbpf attaches
 * such a program without being told where (libbpf.c: section_defs entries with an attach_fn).
 */
#ifndef WASM_BPF_SECTIONS_H
#define WASM_BPF_SECTIONS_H

enum libbpf_wasm_sec_match {
	LIBBPF_WASM_SEC_PREFIX,
	LIBBPF_WASM_SEC_EXACT,
	LIBBPF_WASM_SEC_EXACT_OR_SLASH,
};

struct libbpf_wasm_sec_def {
	const char *pattern;
	enum libbpf_wasm_sec_match match;
	int auto_attach;
};

static const struct libbpf_wasm_sec_def libbpf_wasm_sec_defs[] = {
	{ "tp_btf/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "tp/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "tracepoint/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "raw_tp.w/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "raw_tracepoint.w/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "raw_tp/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "raw_tracepoint/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "kprobe.multi/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "kretprobe.multi/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "kprobe/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "kretprobe/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "ksyscall/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "kretsyscall/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "uprobe.multi", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "uretprobe.multi", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "uprobe", LIBBPF_WASM_SEC_EXACT, 0 },
	{ "uprobe/", LIBBPF_WASM_SEC_EXACT, 0 },
	{ "uretprobe", LIBBPF_WASM_SEC_EXACT, 0 },
	{ "uretprobe/", LIBBPF_WASM_SEC_EXACT, 0 },
	{ "uprobe/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "uprobe.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "uretprobe/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "uretprobe.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "uprobe", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "uretprobe", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "usdt/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "usdt", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "fentry/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "fentry.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "fentry", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "fexit/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "fexit.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "fexit", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "fmod_ret/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "fmod_ret.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "fmod_ret", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "iter/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "iter.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "iter", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "lsm/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "lsm.s/", LIBBPF_WASM_SEC_PREFIX, 1 },
	{ "lsm", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "struct_ops", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "perf_event", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "socket", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "sk_reuseport", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "sk_skb", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "sk_msg", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "sk_lookup", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "xdp", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "tcx/egress", LIBBPF_WASM_SEC_EXACT, 0 },
	{ "tcx/", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "tc/egress", LIBBPF_WASM_SEC_EXACT, 0 },
	{ "tc", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "classifier", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "action", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "cgroup_skb/", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "cgroup/skb", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "cgroup/dev", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "cgroup/sysctl", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "cgroup/getsockopt", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "cgroup/setsockopt", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "cgroup/sock", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "cgroup/post_bind", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "cgroup/", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "sockops", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "flow_dissector", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "lwt_", LIBBPF_WASM_SEC_PREFIX, 0 },
	{ "lirc_mode2", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "netfilter", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
	{ "syscall", LIBBPF_WASM_SEC_EXACT_OR_SLASH, 0 },
};

#endif /* WASM_BPF_SECTIONS_H */
