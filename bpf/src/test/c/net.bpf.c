// Networking programs: each counts the test's own UDP datagrams (to udp_port) in `packets` and lets every
// packet through.
#include "common.h"

#define ETH_HLEN 14
#define IPPROTO_UDP_NUM 17

enum counter { SOCKET_UDP_TO_PORT, XDP_SEEN, CGROUP_EGRESS_SEEN, TC_SEEN, COUNTER_COUNT };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, COUNTER_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} packets SEC(".maps");

/* Key 0: the UDP destination port the programs count, set by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} udp_port SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&packets, &which);
	if (v)
		__sync_fetch_and_add(v, 1);
}

/*
 * Whether the skb is an IPv4 UDP datagram to the port user space set, its IP header at l3 (after the
 * Ethernet header for socket filters and tc, at 0 for cgroup_skb): each test counts only its own datagrams,
 * not whatever else crosses lo or leaves the machine.
 */
static __always_inline int is_our_udp(struct __sk_buff *skb, __u32 l3)
{
	__u32 zero = 0;
	__u32 *port = bpf_map_lookup_elem(&udp_port, &zero);
	__u8 version_ihl, proto;
	__u16 dport;

	if (!port || skb->protocol != bpf_htons(0x0800))
		return 0;
	if (bpf_skb_load_bytes(skb, l3, &version_ihl, 1) < 0)
		return 0;
	if (bpf_skb_load_bytes(skb, l3 + 9, &proto, 1) < 0 || proto != IPPROTO_UDP_NUM)
		return 0;
	if (bpf_skb_load_bytes(skb, l3 + (version_ihl & 0xf) * 4 + 2, &dport, 2) < 0)
		return 0;
	return bpf_ntohs(dport) == *port;
}

SEC("socket")
int count_udp(struct __sk_buff *skb)
{
	if (is_our_udp(skb, ETH_HLEN))
		count(SOCKET_UDP_TO_PORT);
	return 0;
}

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + ETH_HLEN;
	struct udphdr *udp = data + ETH_HLEN + sizeof(*ip);
	__u32 zero = 0;
	__u32 *port = bpf_map_lookup_elem(&udp_port, &zero);

	/* Our datagrams carry no IP options: a 20-byte header, so the UDP header sits at a fixed offset. */
	if (!port || (void *)(udp + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(0x0800) && ip->ihl == 5 && ip->protocol == IPPROTO_UDP_NUM
	    && bpf_ntohs(udp->dest) == *port)
		count(XDP_SEEN);
	return XDP_PASS;
}

SEC("cgroup_skb/egress")
int count_cgroup_egress(struct __sk_buff *skb)
{
	if (is_our_udp(skb, 0))
		count(CGROUP_EGRESS_SEEN);
	return 1; /* allow: this runs for every process of the machine */
}

SEC("tc")
int count_tc(struct __sk_buff *skb)
{
	if (is_our_udp(skb, ETH_HLEN))
		count(TC_SEEN);
	return 0; /* TC_ACT_OK */
}
