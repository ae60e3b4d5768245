// Maps of several kinds for the user-space map operation tests; the program is never attached.
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} per_cpu SEC(".maps");

const volatile __u32 answer = 42;
__u64 hits = 7;
__u64 zeroed;

SEC("socket")
int touch_maps(struct __sk_buff *skb)
{
	__u32 key = answer;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	hits++;
	zeroed = hits;
	return 0;
}
