// SPDX-License-Identifier: Apache-2.0
/*
 * Reliability tests: every exec becomes an exec_event in `events`; an event the ring buffer had no room
 * for is counted in `lost` instead, so a guest can tell "dropped by the kernel" from "missed by the host".
 * Also carries a cgroup and a uprobe program that are only ever attached with an explicit target
 * (the attach sandbox tests).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "exec_fill.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		__u32 zero = 0;
		__u64 *count = bpf_map_lookup_elem(&lost, &zero);

		if (count)
			__sync_fetch_and_add(count, 1);
		return 0;
	}
	fill_exec_event(e, ctx);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("cgroup_skb/egress")
int egress_ok(struct __sk_buff *skb)
{
	return 1;
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	return 0;
}
