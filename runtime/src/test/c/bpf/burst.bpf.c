// SPDX-License-Identifier: Apache-2.0
/*
 * One burst of exactly BURST_RECORDS ring-buffer records {u64 seq}, seq = 0..BURST_RECORDS-1,
 * emitted by the first exec after the guest arms control[0] = 1. The compare-and-swap disarms it
 * atomically, so concurrent execs on other CPUs cannot emit a second burst.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define BURST_RECORDS 10000

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* 10,000 x (8-byte header + 8-byte record) = 160 KB */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} control SEC(".maps");

static long emit_record(u32 index, void *ctx)
{
	u64 *record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);

	if (!record)
		return 1; /* ring full: stop, the guest will see fewer records */
	*record = index;
	bpf_ringbuf_submit(record, 0);
	return 0;
}

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	u32 zero = 0;
	u32 *armed = bpf_map_lookup_elem(&control, &zero);

	if (!armed || __sync_val_compare_and_swap(armed, 1, 0) != 1)
		return 0;
	bpf_loop(BURST_RECORDS, emit_record, NULL, 0);
	return 0;
}
