// SPDX-License-Identifier: Apache-2.0
/*
 * Every error path of the ABI, one `<case>=<value>` line each: the raw return value (Linux
 * errno, negative), handles as unsigned. Uses the maps object (hash kv, ring buffer events,
 * .rodata). Exit 0: the test judges the values.
 */
#include "guest.h"

#define BAD_PTR(addr) ((void *)(uintptr_t)(addr))

static int noop_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

int main(void)
{
	static const unsigned char garbage[16] = { 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
						   0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41 };
	static char sample[64];
	uint32_t key = 1;
	uint64_t value = 1, handle;
	uintptr_t memory_end = __builtin_wasm_memory_size(0) * 65536UL;
	int32_t sample_fn = WASM_BPF_TABLE_INDEX(noop_sample);
	int kv, events;

	printf("load_bad_ptr=%llu\n",
	       (unsigned long long)wasm_load_bpf_object(BAD_PTR(0xFFFFFF00u), 4096));
	printf("load_garbage=%llu\n",
	       (unsigned long long)wasm_load_bpf_object(garbage, (int)sizeof(garbage)));
	handle = wasm_load_bpf_object(bpf_object_bytes, (int)sizeof(bpf_object_bytes));
	printf("load_ok=%llu\n", (unsigned long long)handle);
	if (!handle)
		return 0;

	printf("attach_bad_handle=%d\n", wasm_attach_bpf_program(999, "handle_exec", NULL));
	printf("attach_unknown_prog=%d\n", wasm_attach_bpf_program(handle, "no_such_prog", NULL));
	printf("attach_bad_name_ptr=%d\n",
	       wasm_attach_bpf_program(handle, BAD_PTR(0xFFFFFFF0u), NULL));

	printf("map_fd_bad_handle=%d\n", wasm_bpf_map_fd_by_name(999, "kv"));
	printf("map_fd_unknown=%d\n", wasm_bpf_map_fd_by_name(handle, "no_such_map"));
	printf("map_fd_bad_ptr=%d\n", wasm_bpf_map_fd_by_name(handle, BAD_PTR(0xFFFFFFF0u)));
	printf("map_fd_internal_bss_or_rodata=%d\n", wasm_bpf_map_fd_by_name(handle, ".rodata"));

	kv = wasm_bpf_map_fd_by_name(handle, "kv");
	events = wasm_bpf_map_fd_by_name(handle, "events");
	/* kv[1] exists, so the bounds cases below can only fail on the bad pointer itself. */
	wasm_bpf_map_operate(kv, WASM_BPF_MAP_UPDATE_ELEM, &key, &value, NULL, BPF_ANY);

	printf("op_not_our_fd=%d\n",
	       wasm_bpf_map_operate(1, WASM_BPF_MAP_LOOKUP_ELEM, &key, &value, NULL, 0));
	printf("op_fd_minus1=%d\n",
	       wasm_bpf_map_operate(-1, WASM_BPF_MAP_LOOKUP_ELEM, &key, &value, NULL, 0));
	printf("op_bad_cmd=%d\n", wasm_bpf_map_operate(kv, 99, &key, &value, NULL, 0));
	printf("op_key_oob=%d\n", wasm_bpf_map_operate(kv, WASM_BPF_MAP_LOOKUP_ELEM,
						       BAD_PTR(0xFFFFFFFCu), &value, NULL, 0));
	printf("op_value_at_end=%d\n", wasm_bpf_map_operate(kv, WASM_BPF_MAP_LOOKUP_ELEM, &key,
							    BAD_PTR(memory_end - 2), NULL, 0));
	printf("op_len_wrap=%d\n", wasm_bpf_map_operate(kv, WASM_BPF_MAP_LOOKUP_ELEM, &key,
							BAD_PTR(0xFFFFFFFFu), NULL, 0));

	printf("poll_bad_handle=%d\n",
	       wasm_bpf_buffer_poll(999, events, sample_fn, 0, sample, (int)sizeof(sample), 0));
	printf("poll_not_buffer_map=%d\n",
	       wasm_bpf_buffer_poll(handle, kv, sample_fn, 0, sample, (int)sizeof(sample), 0));
	printf("poll_data_oob=%d\n",
	       wasm_bpf_buffer_poll(handle, events, sample_fn, 0, BAD_PTR(0xFFFFFF00u), 4096, 0));
	printf("poll_bad_table_index=%d\n",
	       wasm_bpf_buffer_poll(handle, events, 0x7FFFFFFF, 0, sample, (int)sizeof(sample), 0));

	printf("close_ok=%d\n", wasm_close_bpf_object(handle));
	printf("close_again=%d\n", wasm_close_bpf_object(handle));
	printf("close_unknown=%d\n", wasm_close_bpf_object(12345));
	return 0;
}
