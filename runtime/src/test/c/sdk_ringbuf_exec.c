// SPDX-License-Identifier: Apache-2.0
/* ringbuf_exec written against libbpf-wasm.h: open_mem, find by name, attach, bpf_buffer. */
#include "libbpf-wasm.h"
#include "exec_watch.h"

static struct exec_watch watch;

static int on_sample(void *ctx, void *data, size_t size)
{
	return exec_watch_on_sample(ctx, data, size);
}

static int poll_once(void *arg)
{
	return bpf_buffer__poll(arg, 100);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_buffer *buffer;
	int err;

	exec_watch_init(&watch, argc, argv);
	obj = bpf_object__open_mem(bpf_object_bytes, sizeof(bpf_object_bytes), NULL);
	if (!obj) {
		printf("OPEN_FAILED errno=%d %s\n", errno, strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "handle_exec");
	buffer = bpf_buffer__new(bpf_object__find_map_by_name(obj, "events"), NULL);
	if (!prog || !buffer) {
		printf("LOOKUP_FAILED errno=%d %s\n", errno, strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		printf("LOAD_FAILED err=%d %s\n", err, strerror(-err));
		return 1;
	}
	if (!bpf_program__attach(prog)) {
		printf("ATTACH_FAILED errno=%d %s\n", errno, strerror(errno));
		return 1;
	}
	err = bpf_buffer__open(buffer, on_sample, &watch);
	if (err) {
		printf("BUFFER_OPEN_FAILED err=%d %s\n", err, strerror(-err));
		return 1;
	}
	print_ready();
	err = exec_watch_run(&watch, poll_once, buffer);
	bpf_buffer__free(buffer);
	bpf_object__close(obj);
	return err;
}
