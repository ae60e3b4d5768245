// SPDX-License-Identifier: Apache-2.0
/*
 * execve: each execve() with its filename and arguments. sys_enter_execve reads the strings
 * from the caller's memory (they are gone once the new program runs) into a per-thread event
 * kept in a hash map; sys_exit_execve adds the result and the new comm and sends the used part
 * of the event through the ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "execve.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the guest before load. */
const volatile int max_args = DEFAULT_MAXARGS;
const volatile bool ignore_failed = true;
const volatile unsigned int targ_uid = INVALID_UID;

/* The event being built, per thread id: far too big for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, pid_t);
	__type(value, struct event);
} execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static const struct event empty_event;

SEC("tracepoint/syscalls/sys_enter_execve")
int handle_execve_enter(struct trace_event_raw_sys_enter *ctx)
{
	const char **argv = (const char **)(ctx->args[1]);
	struct task_struct *task;
	struct event *event;
	const char *argp;
	pid_t pid, tgid;
	long ret;
	u32 uid;
	u64 id;
	int i;

	uid = (u32)bpf_get_current_uid_gid();
	if (targ_uid != INVALID_UID && targ_uid != uid)
		return 0;

	id = bpf_get_current_pid_tgid();
	pid = (pid_t)id;
	tgid = id >> 32;
	if (bpf_map_update_elem(&execs, &pid, &empty_event, BPF_NOEXIST))
		return 0;
	event = bpf_map_lookup_elem(&execs, &pid);
	if (!event)
		return 0;

	event->pid = tgid;
	event->uid = uid;
	task = (struct task_struct *)bpf_get_current_task();
	event->ppid = BPF_CORE_READ(task, real_parent, tgid);
	event->args_count = 0;
	event->args_size = 0;

	ret = bpf_probe_read_user_str(event->args, ARGSIZE, (const char *)ctx->args[0]);
	if (ret < 0)
		return 0;
	event->args_size += ret;
	event->args_count++;

	/* argv[0] is skipped: the filename above says more. */
	for (i = 1; i < TOTAL_MAX_ARGS && i < max_args; i++) {
		if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) || !argp)
			return 0;
		/* Keeps the verifier's view of the offset below LAST_ARG. */
		if (event->args_size > LAST_ARG)
			return 0;
		ret = bpf_probe_read_user_str(&event->args[event->args_size], ARGSIZE, argp);
		if (ret < 0 || ret > ARGSIZE)
			return 0;
		event->args_count++;
		event->args_size += ret;
	}
	/* One more non-NULL pointer means arguments were cut: args_count becomes max_args + 1. */
	if (bpf_probe_read_user(&argp, sizeof(argp), &argv[max_args]) || !argp)
		return 0;
	event->args_count++;
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int handle_execve_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct event *event;
	unsigned int len;
	pid_t pid;
	int ret;

	pid = (pid_t)bpf_get_current_pid_tgid();
	event = bpf_map_lookup_elem(&execs, &pid);
	if (!event)
		return 0;
	ret = ctx->ret;
	if (ignore_failed && ret < 0)
		goto cleanup;

	event->retval = ret;
	/* After a successful exec this is already the new program's name. */
	bpf_get_current_comm(&event->comm, sizeof(event->comm));
	len = offsetof(struct event, args) + event->args_size;
	if (len <= sizeof(*event))
		bpf_ringbuf_output(&events, event, len, 0);
cleanup:
	bpf_map_delete_elem(&execs, &pid);
	return 0;
}
