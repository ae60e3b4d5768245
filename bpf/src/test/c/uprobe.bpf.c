// Counts calls of the probed user-space function by the process whose comm user space set (a marker
// binary the test execs): other processes' calls do not count.
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

/* Key 0: the comm (TASK_COMM_LEN bytes, NUL-padded) whose calls count, set by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[16]);
} target_comm SEC(".maps");

static __always_inline int is_target(void)
{
	__u32 zero = 0;
	char *target = bpf_map_lookup_elem(&target_comm, &zero);
	char comm[16] = {};

	if (!target || bpf_get_current_comm(comm, sizeof(comm)) < 0)
		return 0;
#pragma unroll
	for (int i = 0; i < 16; i++) {
		if (comm[i] != target[i])
			return 0;
		if (!comm[i])
			break;
	}
	return 1;
}

static __always_inline void count(__u32 which)
{
	if (!is_target())
		return;
	__u64 *v = bpf_map_lookup_elem(&calls, &which);
	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("uprobe")
int on_entry(void *ctx)
{
	count(0);
	return 0;
}

SEC("uretprobe")
int on_return(void *ctx)
{
	count(1);
	return 0;
}
