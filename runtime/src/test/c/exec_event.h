/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record the exec-tracing test objects emit, shared by the BPF side (x86-64) and the wasm32
 * guests. Only 32-bit integers and chars, so both sides agree on the 152-byte layout.
 */
#ifndef EXEC_EVENT_H
#define EXEC_EVENT_H

#define EXEC_COMM_LEN 16
#define EXEC_FILENAME_LEN 128

struct exec_event {
	unsigned int pid;
	unsigned int ppid;
	char comm[EXEC_COMM_LEN];
	char filename[EXEC_FILENAME_LEN];
};

#endif /* EXEC_EVENT_H */
