/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The value of runqlat.bpf.c's `hists` map, read by runqlat.c with bpf_map_lookup_elem. Only
 * 32-bit integers and chars, so the BPF (x86-64) and wasm32 layouts agree; runqlat.c checks it.
 */
#ifndef RUNQLAT_H
#define RUNQLAT_H

#define TASK_COMM_LEN 16
/* log2 slots: slot i counts latencies in [2^i, 2^(i+1)); the last one takes everything above. */
#define MAX_SLOTS 26

struct hist {
	unsigned int slots[MAX_SLOTS];
	char comm[TASK_COMM_LEN];
};

#endif /* RUNQLAT_H */
