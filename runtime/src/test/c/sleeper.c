// SPDX-License-Identifier: Apache-2.0
/* Attach, then block in wasm_bpf_buffer_poll(timeout -1) forever: stopping must interrupt the wait. */
#include "guest.h"

static int ignore_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

int main(void)
{
	static char sample[256];
	uint64_t handle = load_embedded_object();
	int events = map_fd_or_exit(handle, "events");

	attach_or_exit(handle, "handle_exec");
	print_ready();
	for (;;)
		wasm_bpf_buffer_poll(handle, events, WASM_BPF_TABLE_INDEX(ignore_sample), 0, sample,
				     (int)sizeof(sample), -1);
}
