// SPDX-License-Identifier: Apache-2.0
/*
 * Rejected by the verifier on purpose: the map value pointer may be NULL and is written without
 * a check ("invalid mem access 'map_value_or_null'"). Lets the tests see a failed load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} values SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	u32 key = 0;

	*(u64 *)bpf_map_lookup_elem(&values, &key) = 1;
	return 0;
}
