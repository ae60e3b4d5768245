/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record sockfilter.bpf.c writes into the ring buffer for each reported packet. Shared by
 * the BPF side and the wasm32 guest: only fixed-size fields, naturally aligned, so both agree
 * (sockfilter.c checks the wasm32 layout with _Static_assert).
 */
#ifndef SOCKFILTER_H
#define SOCKFILTER_H

struct so_event {
	unsigned int src_addr;    /* IPv4 address, network byte order */
	unsigned int dst_addr;    /* IPv4 address, network byte order */
	unsigned short src_port;  /* host byte order, 0 when the protocol has no ports */
	unsigned short dst_port;
	unsigned int ip_len;      /* the IP header's total length */
	unsigned char ip_proto;   /* IPPROTO_* */
	unsigned char pkt_type;   /* PACKET_HOST, ..., PACKET_OUTGOING (4) */
	unsigned char ttl;
	unsigned char fragment;   /* 1 for a non-first fragment: ports unknown */
};

#endif /* SOCKFILTER_H */
