// SPDX-License-Identifier: Apache-2.0
/*
 * ringbuf_exec as TinyGo guests do it: TinyGo cannot hand out table indices, so it imports
 * callback-wrapper.wasm_bpf_buffer_poll (no sample_func) and exports the callback as go-callback.
 */
#include "exec_watch.h"

__attribute__((import_module("callback-wrapper"), import_name("wasm_bpf_buffer_poll")))
int wrapper_buffer_poll(uint64_t obj, int fd, uint32_t ctx, char *data, int max_size, int timeout_ms);

struct poll_state {
	uint64_t handle;
	int fd;
	struct exec_watch watch;
	char sample[sizeof(struct exec_event)];
};

__attribute__((export_name("go-callback")))
int go_callback(uint32_t ctx, char *data, uint32_t size)
{
	return exec_watch_on_sample(&((struct poll_state *)(uintptr_t)ctx)->watch, data, size);
}

static int poll_once(void *arg)
{
	struct poll_state *s = arg;

	return wrapper_buffer_poll(s->handle, s->fd, (uint32_t)(uintptr_t)s, s->sample,
				   (int)sizeof(s->sample), 100);
}

int main(int argc, char **argv)
{
	static struct poll_state s;

	exec_watch_init(&s.watch, argc, argv);
	s.handle = load_embedded_object();
	s.fd = map_fd_or_exit(s.handle, "events");
	attach_or_exit(s.handle, "handle_exec");
	print_ready();
	return exec_watch_run(&s.watch, poll_once, &s);
}
