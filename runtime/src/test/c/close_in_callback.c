// SPDX-License-Identifier: Apache-2.0
/*
 * Closes its own object from inside a sample callback, as a careless or hostile guest may. Built twice: on
 * the ring-buffer exec object, and as close_in_perf_callback on the perf-buffer one. The test execs a few
 * processes after READY and writes "GO\n"; this guest polls once and prints `NESTED ret=<r>` (a poll of the
 * same map from the first callback), `CLOSE ret=<r>` (the close made next in that callback), `POLL ret=<r> callbacks=<n>` and `AGAIN close=<r> poll=<r>` (the handle is gone),
 * then `CLOSED`, and waits for a line on stdin before it exits, so that the test can check the kernel while
 * the module still runs.
 */
#include "guest.h"

struct closer {
	uint64_t handle;
	int fd;
	unsigned long callbacks;
	int nested_ret;
	int close_ret;
};

static char nested_sample[64];

static int ignore_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct closer *c = ctx;

	(void)data;
	(void)size;
	if (c->callbacks++ == 0) {
		c->nested_ret = wasm_bpf_buffer_poll(c->handle, c->fd, WASM_BPF_TABLE_INDEX(ignore_sample), 0,
						     nested_sample, (int)sizeof(nested_sample), 0);
		c->close_ret = wasm_close_bpf_object(c->handle);
	}
	return 0;
}

int main(void)
{
	static struct closer c = { 0, -1, 0, 1, 1 };
	static char sample[64];
	char line[64];
	int events, ret, again_close, again_poll;

	c.handle = load_embedded_object();
	events = c.fd = map_fd_or_exit(c.handle, "events");
	attach_or_exit(c.handle, "handle_exec");
	/* The first poll creates a perf buffer's reader (earlier samples are never seen); it also drains
	 * what the system exec'd meanwhile, so that the poll below starts with the test's execs. */
	wasm_bpf_buffer_poll(c.handle, events, WASM_BPF_TABLE_INDEX(ignore_sample), 0, sample, (int)sizeof(sample), 0);
	print_ready();
	if (!fgets(line, sizeof(line), stdin)) {
		printf("NO_GO\n");
		return 1;
	}
	ret = wasm_bpf_buffer_poll(c.handle, events, WASM_BPF_TABLE_INDEX(on_sample),
				   (uint32_t)(uintptr_t)&c, sample, (int)sizeof(sample), 1000);
	printf("NESTED ret=%d\n", c.nested_ret);
	printf("CLOSE ret=%d\n", c.close_ret);
	printf("POLL ret=%d callbacks=%lu\n", ret, c.callbacks);
	again_close = wasm_close_bpf_object(c.handle);
	again_poll = wasm_bpf_buffer_poll(c.handle, events, WASM_BPF_TABLE_INDEX(on_sample),
					  (uint32_t)(uintptr_t)&c, sample, (int)sizeof(sample), 0);
	printf("AGAIN close=%d poll=%d\n", again_close, again_poll);
	printf("CLOSED\n");
	fflush(stdout);
	fgets(line, sizeof(line), stdin);
	return 0;
}
