// SPDX-License-Identifier: Apache-2.0
/* Host-call benchmark object: one hash map, looked up from user space only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");
