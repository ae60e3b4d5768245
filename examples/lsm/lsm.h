/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record lsm.bpf.c sends for each rmdir it denies. Only 32-bit integers and chars: the BPF
 * and wasm32 layouts agree (checked in lsm.c).
 */
#ifndef LSM_H
#define LSM_H

#define TASK_COMM_LEN 16
/* The directory name the program protects, and room for it with its NUL. */
#define PROTECTED_NAME "can_not_rm"
#define NAME_LEN 16

struct event {
	int pid;
	unsigned int uid;
	char comm[TASK_COMM_LEN];
	char name[NAME_LEN];
};

#endif /* LSM_H */
