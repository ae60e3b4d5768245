/* SPDX-License-Identifier: Apache-2.0 */
/* compatapi.bpf.c's perf sample, shared with the wasm32 guest (no padding on either side). */
#ifndef COMPATAPI_H
#define COMPATAPI_H

struct exec_sample {
	unsigned int pid;
	unsigned int tag; /* .rodata's tag, set by the guest before load */
	char comm[16];
};

#endif /* COMPATAPI_H */
