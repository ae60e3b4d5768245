// Counts calls of the probed user-space function, by any process.
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

static __always_inline void count(__u32 which)
{
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
