// SPDX-License-Identifier: Apache-2.0
/*
 * Map round trips. The guest writes kv[1]; on every exec this program writes kv[src_key + 1] =
 * kv[src_key] + 1 and counts the exec in the per-CPU array pc[0] (and in .bss exec_seen), so the
 * guest sees a kernel-side write of a value it chose. `events` is never written: it gives the
 * error-path guest a ring buffer in the same object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, u32);
	__type(value, u64);
} kv SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} pc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/* .rodata, so the object has an internal map to look up by section name. */
const volatile u32 src_key = 1;
/* .bss */
u64 exec_seen = 0;

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	u32 key = src_key, dst = src_key + 1, zero = 0;
	u64 *value, *count, next;

	value = bpf_map_lookup_elem(&kv, &key);
	if (value) {
		next = *value + 1;
		bpf_map_update_elem(&kv, &dst, &next, BPF_ANY);
	}
	count = bpf_map_lookup_elem(&pc, &zero);
	if (count)
		*count += 1; /* per-CPU slot: no other CPU writes it */
	__sync_fetch_and_add(&exec_seen, 1);
	return 0;
}
