/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record opensnoop.bpf.c writes into the perf buffer and opensnoop.c prints. `ts` is first,
 * so the 8-byte alignment that wasm32 and x86-64 both give `unsigned long long` adds no padding
 * inside; the guest checks the layout with _Static_assert.
 */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#define TASK_COMM_LEN 16
#define NAME_MAX 255
#define INVALID_UID ((unsigned int)-1)

struct event {
	unsigned long long ts; /* bpf_ktime_get_ns() at the syscall's exit */
	int pid;               /* process (thread group) id */
	unsigned int uid;
	int ret;               /* the fd, or -errno (Linux numbering) */
	int flags;             /* open flags as passed */
	char comm[TASK_COMM_LEN];
	char fname[NAME_MAX];
};

#endif /* OPENSNOOP_H */
