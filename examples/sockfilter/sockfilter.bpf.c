// SPDX-License-Identifier: Apache-2.0
/*
 * sockfilter: a socket filter that reports every IPv4 packet of an interface (protocol,
 * addresses, ports) through a ring buffer. The host attaches it to a raw packet socket bound to
 * the interface, so it sees both directions; it returns 0 because nobody reads that socket and
 * queued copies would only waste memory. Optional protocol and port filters are .rodata
 * constants patched by the guest before load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "sockfilter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Macros are not part of vmlinux.h. */
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define IP_MF 0x2000
#define IP_OFFSET 0x1FFF
#define PROTO_TCP 6
#define PROTO_UDP 17

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

/* 0 means "any". */
const volatile unsigned char proto_filter = 0;
const volatile unsigned short port_filter = 0;

SEC("socket")
int socket_handler(struct __sk_buff *skb)
{
	struct so_event *e;
	struct iphdr iph;
	__u16 ports[2] = { 0, 0 };
	__u16 frag;
	__u32 ihl;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	/* A raw packet socket sees the frame from the link-layer header on (Ethernet here). */
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &iph, sizeof(iph)) < 0)
		return 0;
	if (proto_filter && iph.protocol != proto_filter)
		return 0;

	ihl = (__u32)(iph.ihl & 0xF) * 4;
	frag = bpf_ntohs(iph.frag_off) & IP_OFFSET;
	if ((iph.protocol == PROTO_TCP || iph.protocol == PROTO_UDP) && !frag && ihl >= sizeof(iph)) {
		/* TCP and UDP both start with the source and destination ports. */
		if (bpf_skb_load_bytes(skb, ETH_HLEN + ihl, ports, sizeof(ports)) < 0)
			return 0;
		ports[0] = bpf_ntohs(ports[0]);
		ports[1] = bpf_ntohs(ports[1]);
	}
	if (port_filter && ports[0] != port_filter && ports[1] != port_filter)
		return 0;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->src_addr = iph.saddr;
	e->dst_addr = iph.daddr;
	e->src_port = ports[0];
	e->dst_port = ports[1];
	e->ip_len = bpf_ntohs(iph.tot_len);
	e->ip_proto = iph.protocol;
	e->pkt_type = skb->pkt_type;
	e->ttl = iph.ttl;
	e->fragment = frag != 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
