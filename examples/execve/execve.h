/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record execve.bpf.c sends through the ring buffer and execve.c prints. Only 32-bit
 * integers and chars, so the BPF (x86-64) and wasm32 layouts agree; execve.c checks it.
 * Only the used part of `args` is sent: offsetof(struct event, args) + args_size bytes.
 */
#ifndef EXECVE_H
#define EXECVE_H

#define TASK_COMM_LEN 16
#define ARGSIZE 128            /* longest argument kept; longer ones are cut */
#define TOTAL_MAX_ARGS 60      /* most arguments the BPF side can read */
#define DEFAULT_MAXARGS 20
#define FULL_MAX_ARGS_ARR (TOTAL_MAX_ARGS * ARGSIZE)
#define LAST_ARG (FULL_MAX_ARGS_ARR - ARGSIZE)
#define INVALID_UID ((unsigned int)-1)

struct event {
	int pid;
	int ppid;
	unsigned int uid;
	int retval;
	int args_count;         /* filename + arguments read; max_args + 1 means "more were cut" */
	unsigned int args_size; /* bytes of NUL-terminated strings in args */
	char comm[TASK_COMM_LEN];
	char args[FULL_MAX_ARGS_ARR]; /* the filename, then argv[1], argv[2] … */
};

#endif /* EXECVE_H */
