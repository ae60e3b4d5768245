/* SPDX-License-Identifier: Apache-2.0 */
/* Fill a struct exec_event from a sched_process_exec tracepoint; shared by ringbuf and perfbuf. */
#ifndef EXEC_FILL_H
#define EXEC_FILL_H

#include "exec_event.h"

static __always_inline void fill_exec_event(struct exec_event *e,
					    struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	/* __data_loc: the low 16 bits are the offset of the string from the start of the record. */
	unsigned int fname_off = ctx->__data_loc_filename & 0xFFFF;

	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(&e->filename, sizeof(e->filename), (void *)ctx + fname_off);
}

#endif /* EXEC_FILL_H */
