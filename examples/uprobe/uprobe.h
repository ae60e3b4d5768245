/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record uprobe.bpf.c sends through the ring buffer for each call and each return of the
 * probed function. Only 32-bit integers and chars: the BPF and wasm32 layouts agree (checked
 * in uprobe.c).
 */
#ifndef UPROBE_H
#define UPROBE_H

#define TASK_COMM_LEN 16

enum uprobe_event_kind {
	UPROBE_ENTRY = 1,
	UPROBE_RETURN = 2,
};

struct event {
	int kind; /* enum uprobe_event_kind */
	int pid;
	int tid;
	int a;    /* entry: the arguments */
	int b;
	int ret;  /* return: the return value */
	char comm[TASK_COMM_LEN];
};

#endif /* UPROBE_H */
