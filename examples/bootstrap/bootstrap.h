/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record bootstrap.bpf.c writes into the ring buffer and bootstrap.c reads. Shared by the
 * BPF side (x86-64 layout) and the wasm32 guest, so it only uses types whose size and alignment
 * agree on both: the wasm side checks the result with _Static_assert in bootstrap.c.
 */
#ifndef BOOTSTRAP_H
#define BOOTSTRAP_H

#define TASK_COMM_LEN 16
#define MAX_FILENAME_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned exit_code;
	unsigned long long duration_ns;
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	bool exit_event;
};

#endif /* BOOTSTRAP_H */
