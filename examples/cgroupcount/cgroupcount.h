/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys and per-CPU value of cgroupcount.bpf.c's `counts` map, shared with the wasm32 guest (which
 * checks the layout with _Static_assert): two u64, so no padding on either side.
 */
#ifndef CGROUPCOUNT_H
#define CGROUPCOUNT_H

#define DIR_INGRESS 0
#define DIR_EGRESS 1
#define DIRECTIONS 2

struct counter {
	unsigned long long packets;
	unsigned long long bytes;
};

#endif /* CGROUPCOUNT_H */
