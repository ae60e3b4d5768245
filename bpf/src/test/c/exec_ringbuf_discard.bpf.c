// Like exec_ringbuf, but every exec also reserves a decoy record (pid 0) that it discards after reserving
// the real one: a reader must skip the discarded record and deliver the one behind it. Records are 20 bytes,
// so each occupies 32 in the ring (8-byte header, length rounded up to 8).
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct exec_event *decoy, *e;

	decoy = bpf_ringbuf_reserve(&events, sizeof(*decoy), 0);
	if (!decoy)
		return 0;
	decoy->pid = 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		bpf_ringbuf_discard(decoy, 0);
		return 0;
	}
	bpf_ringbuf_discard(decoy, 0);
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
