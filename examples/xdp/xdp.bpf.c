// SPDX-License-Identifier: Apache-2.0
/*
 * xdp: count every packet an interface receives, per IP protocol, and pass it on. The counters
 * are per-CPU (no atomics on the hot path); the guest sums the CPUs when it prints.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdp.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Macros are not part of vmlinux.h. */
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDP_KEYS);
	__type(key, __u32);
	__type(value, struct datarec);
} stats SEC(".maps");

/* The IP protocol of the frame, or XDP_KEY_NON_IP (also for frames too short to tell). */
static __always_inline __u32 protocol_of(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct vlan_hdr *vlan;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	void *l3;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_KEY_NON_IP;
	proto = eth->h_proto;
	l3 = eth + 1;
	/* One VLAN tag is common enough (and cheap) to look through. */
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		vlan = l3;
		if ((void *)(vlan + 1) > data_end)
			return XDP_KEY_NON_IP;
		proto = vlan->h_vlan_encapsulated_proto;
		l3 = vlan + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		ip = l3;
		if ((void *)(ip + 1) > data_end)
			return XDP_KEY_NON_IP;
		return ip->protocol;
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		ip6 = l3;
		if ((void *)(ip6 + 1) > data_end)
			return XDP_KEY_NON_IP;
		return ip6->nexthdr;
	}
	return XDP_KEY_NON_IP;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = protocol_of(data, data_end);
	struct datarec *rec;

	rec = bpf_map_lookup_elem(&stats, &key);
	if (rec) {
		rec->packets++;
		rec->bytes += data_end - data;
	}
	return XDP_PASS;
}
