// SPDX-License-Identifier: Apache-2.0
/*
 * compatapi: the BPF side of the upstream-API compatibility guest. One object, four uses:
 * exec samples through a perf event array, a hash map the guest fills and iterates, and UDP
 * datagrams to one port counted at XDP and at a cgroup's egress.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "compatapi.h"

#define ETH_P_IP 0x0800 /* a macro in if_ether.h, so not in vmlinux.h */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the guest before load. */
const volatile __u32 tag = 0;
const volatile __u16 target_port = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} kv SEC(".maps");

#define XDP_COUNT 0
#define CGROUP_COUNT 1

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tp/sched/sched_process_exec")
int exec_sampler(void *ctx)
{
	struct exec_sample s = {};

	s.pid = bpf_get_current_pid_tgid() >> 32;
	s.tag = tag;
	bpf_get_current_comm(s.comm, sizeof(s.comm));
	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));
	return 0;
}

static __always_inline void count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* IPv4 + UDP to target_port, the IP header at `ip`. */
static __always_inline bool udp_to_target(void *ip, void *end)
{
	struct iphdr *iph = ip;
	struct udphdr *udp;

	if ((void *)(iph + 1) > end || iph->version != 4 || iph->protocol != IPPROTO_UDP)
		return false;
	udp = ip + iph->ihl * 4;
	if ((void *)(udp + 1) > end)
		return false;
	return udp->dest == bpf_htons(target_port);
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) <= end && eth->h_proto == bpf_htons(ETH_P_IP) &&
	    udp_to_target(eth + 1, end))
		count(XDP_COUNT);
	return XDP_PASS;
}

SEC("cgroup_skb/egress")
int cgroup_count(struct __sk_buff *skb)
{
	struct iphdr iph;
	struct udphdr udp;

	/* No link-layer header at this hook: the packet starts with the IP header. */
	if (bpf_skb_load_bytes(skb, 0, &iph, sizeof(iph)) || iph.version != 4 ||
	    iph.protocol != IPPROTO_UDP)
		return 1;
	if (bpf_skb_load_bytes(skb, iph.ihl * 4, &udp, sizeof(udp)))
		return 1;
	if (udp.dest == bpf_htons(target_port))
		count(CGROUP_COUNT);
	return 1; /* let it through */
}
