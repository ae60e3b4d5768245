// SPDX-License-Identifier: Apache-2.0
/* Raw ABI, perf event array (same guest code: the host picks the reader by map type): wait for an exec whose filename contains argv[1]. */
#include "exec_watch.h"

struct poll_state {
	uint64_t handle;
	int fd;
	struct exec_watch watch;
	char sample[sizeof(struct exec_event)];
};

static int on_sample(void *ctx, void *data, size_t size)
{
	return exec_watch_on_sample(&((struct poll_state *)ctx)->watch, data, size);
}

static int poll_once(void *arg)
{
	struct poll_state *s = arg;

	return wasm_bpf_buffer_poll(s->handle, s->fd, WASM_BPF_TABLE_INDEX(on_sample),
				    (uint32_t)(uintptr_t)s, s->sample, (int)sizeof(s->sample), 100);
}

int main(int argc, char **argv)
{
	static struct poll_state s;

	exec_watch_init(&s.watch, argc, argv);
	s.handle = load_embedded_object();
	s.fd = map_fd_or_exit(s.handle, "events");
	attach_or_exit(s.handle, "handle_exec");
	/* A perf event array only keeps samples once its reader exists, and the host creates the reader on
	 * the first poll: poll once before saying READY so that no exec after READY is missed. */
	if (wasm_bpf_buffer_poll(s.handle, s.fd, WASM_BPF_TABLE_INDEX(on_sample), (uint32_t)(uintptr_t)&s,
				 s.sample, (int)sizeof(s.sample), 0) < 0) {
		printf("POLL_FAILED initial\n");
		return 1;
	}
	print_ready();
	return exec_watch_run(&s.watch, poll_once, &s);
}
