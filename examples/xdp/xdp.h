/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-CPU value of xdp.bpf.c's `stats` map, shared with the wasm32 guest (which checks the
 * layout with _Static_assert): two u64, so no padding on either side.
 */
#ifndef XDP_H
#define XDP_H

/* Keys 0..255 are IP protocol numbers (IPv4 protocol, IPv6 next header); this one is "not IP". */
#define XDP_KEY_NON_IP 256
#define XDP_KEYS 257

struct datarec {
	unsigned long long packets;
	unsigned long long bytes;
};

#endif /* XDP_H */
