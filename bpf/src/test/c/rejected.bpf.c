// The verifier must reject this: the hash map value may be NULL and is dereferenced unchecked.
// (A hash map, because recent kernels know a constant in-bounds array lookup is never NULL.)
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tp/sched/sched_process_exec")
int unchecked_lookup(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &key);
	return *v;
}
