// SPDX-License-Identifier: Apache-2.0
/*
 * cgroupcount: count the packets and bytes that sockets of a cgroup (and its descendants) send
 * and receive, with one cgroup_skb program per direction. Both let every packet through; the
 * counters are per-CPU so the hot path needs no atomics, and the guest sums them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "cgroupcount.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DIRECTIONS);
	__type(key, __u32);
	__type(value, struct counter);
} counts SEC(".maps");

/* cgroup_skb: 1 lets the packet through, 0 drops it. */
#define ALLOW 1

static __always_inline void count(__u32 direction, struct __sk_buff *skb)
{
	struct counter *c = bpf_map_lookup_elem(&counts, &direction);

	if (c) {
		c->packets++;
		/* From the network header on: no link-layer header at this hook. */
		c->bytes += skb->len;
	}
}

SEC("cgroup_skb/ingress")
int count_ingress(struct __sk_buff *skb)
{
	count(DIR_INGRESS, skb);
	return ALLOW;
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	count(DIR_EGRESS, skb);
	return ALLOW;
}
