// SPDX-License-Identifier: Apache-2.0
/*
 * A small BPF object with what the SDK parses: BTF-defined maps, a .rodata constant, a .bss
 * variable and one program. Self-contained (no vmlinux.h, no kernel headers): it is only parsed
 * by the Rust SDK's unit tests under a fake host, never loaded into a kernel.
 */
#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name

typedef unsigned int u32;
typedef unsigned long long u64;

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, 1); /* BPF_MAP_TYPE_HASH */
	__uint(max_entries, 16);
	__type(key, u32);
	__type(value, u64);
} kv SEC(".maps");

struct {
	__uint(type, 27); /* BPF_MAP_TYPE_RINGBUF */
	__uint(max_entries, 4096);
} events SEC(".maps");

const volatile u32 src_key = 1;
u64 exec_seen;

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	exec_seen += src_key;
	return 0;
}

SEC("xdp")
int pass_all(void *ctx)
{
	return 2; /* XDP_PASS */
}
