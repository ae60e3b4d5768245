// SPDX-License-Identifier: Apache-2.0
/*
 * One poll must deliver a whole burst of 10,000 ring-buffer records, in order. The test execs a
 * process after READY, then writes "GO\n" to stdin; this guest polls once (1000 ms) and prints
 * `POLL ret=<r> callbacks=<n> inorder=<1|0>`.
 */
#include "guest.h"

struct burst_count {
	unsigned long callbacks;
	int inorder;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct burst_count *c = ctx;
	uint64_t seq;

	if (size < sizeof(seq)) {
		c->inorder = 0;
	} else {
		memcpy(&seq, data, sizeof(seq));
		if (seq != c->callbacks)
			c->inorder = 0;
	}
	c->callbacks++;
	return 0;
}

int main(void)
{
	static struct burst_count count = { 0, 1 };
	static char sample[64];
	char line[64];
	uint64_t handle;
	uint32_t zero = 0, armed = 1;
	int events, control, ret;

	handle = load_embedded_object();
	events = map_fd_or_exit(handle, "events");
	control = map_fd_or_exit(handle, "control");
	attach_or_exit(handle, "handle_exec");
	ret = wasm_bpf_map_operate(control, WASM_BPF_MAP_UPDATE_ELEM, &zero, &armed, NULL, BPF_ANY);
	if (ret < 0) {
		printf("ARM_FAILED ret=%d\n", ret);
		return 1;
	}
	print_ready();
	if (!fgets(line, sizeof(line), stdin)) {
		printf("NO_GO\n");
		return 1;
	}
	ret = wasm_bpf_buffer_poll(handle, events, WASM_BPF_TABLE_INDEX(on_record),
				   (uint32_t)(uintptr_t)&count, sample, (int)sizeof(sample), 1000);
	printf("POLL ret=%d callbacks=%lu inorder=%d\n", ret, count.callbacks,
	       count.callbacks > 0 && count.inorder);
	return 0;
}
