/* Shared by the test programs: kernel types from the generated vmlinux.h, libbpf's helpers. */
#ifndef WASM_BPF_TEST_COMMON_H
#define WASM_BPF_TEST_COMMON_H

#include "vmlinux.h"
#include <bpf_helpers.h>
#include <bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

/* The event user space matches against the process it started. */
struct exec_event {
	__u32 pid;
	char comm[16];
};

#endif
