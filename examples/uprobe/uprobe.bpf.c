// SPDX-License-Identifier: Apache-2.0
/*
 * uprobe: the arguments of each call of `int f(int a, int b)` in a user-space binary, and its
 * return value. The sections name no binary: the guest gives "path:function" as the attach
 * target at run time (the host only accepts binaries under an --allow-attach path).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "uprobe.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the guest before load: 0 traces every process. */
const volatile pid_t targ_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

static __always_inline int submit(int kind, int a, int b, int ret)
{
	u64 id = bpf_get_current_pid_tgid();
	struct event *e;

	if (targ_pid && targ_pid != (pid_t)(id >> 32))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->kind = kind;
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->a = a;
	e->b = b;
	e->ret = ret;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(uprobe_add, int a, int b)
{
	return submit(UPROBE_ENTRY, a, b, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(uretprobe_add, int ret)
{
	return submit(UPROBE_RETURN, 0, 0, ret);
}
