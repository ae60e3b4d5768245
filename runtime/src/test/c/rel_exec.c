// SPDX-License-Identifier: Apache-2.0
/*
 * Reliability guest over rel_exec.bpf.o; argv[1] picks the scenario:
 *   count <marker> [report_ms=500]   trace execs forever; every report_ms print
 *                                    COUNT matched=<filename contains marker> lost=<kernel drops> total=<all>
 *   cycles <n> <end>                 n times load/attach/poll/close, print CYCLES <n>, then load and attach
 *                                    once more and end that way: exit | trap | proc_exit | hang (host cleans up)
 *   attach <cgroup-target> <uprobe-target>   print CGROUP ret=… and UPROBE ret=…
 *   hold                             load, print OWN_FD <events fd>, READY, then sleep until terminated
 *   mapops <fd>…                     load, look up key 0 in its own map (MAPOP_OWN ret=…), then in each
 *                                    fd: MAPOP fd=… ret=…
 */
#include "exec_event.h"
#include "guest.h"

struct counter {
	const char *marker;
	unsigned long matched, total;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct counter *c = ctx;
	struct exec_event e;

	c->total++;
	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.filename[EXEC_FILENAME_LEN - 1] = '\0';
	if (strstr(e.filename, c->marker))
		c->matched++;
	return 0;
}

static uint64_t lost_events(int lost_fd)
{
	uint32_t key = 0;
	uint64_t value = 0;

	wasm_bpf_map_operate(lost_fd, WASM_BPF_MAP_LOOKUP_ELEM, &key, &value, NULL, 0);
	return value;
}

static int count(int argc, char **argv)
{
	static struct counter c;
	static char sample[sizeof(struct exec_event)];
	long report_ms = argc > 3 ? strtol(argv[3], NULL, 10) : 500;
	uint64_t handle;
	int events, lost;
	int64_t next_report;

	if (argc < 3)
		return 1;
	c.marker = argv[2];
	handle = load_embedded_object();
	events = map_fd_or_exit(handle, "events");
	lost = map_fd_or_exit(handle, "lost");
	attach_or_exit(handle, "handle_exec");
	print_ready();
	next_report = monotonic_ms() + report_ms;
	for (;;) {
		int ret = wasm_bpf_buffer_poll(handle, events, WASM_BPF_TABLE_INDEX(on_sample),
					       (uint32_t)(uintptr_t)&c, sample, (int)sizeof(sample), 50);

		if (ret < 0 && ret != -WASM_BPF_LINUX_EINTR) {
			printf("POLL_FAILED ret=%d\n", ret);
			return 1;
		}
		if (monotonic_ms() >= next_report) {
			printf("COUNT matched=%lu lost=%llu total=%lu\n", c.matched,
			       (unsigned long long)lost_events(lost), c.total);
			fflush(stdout);
			next_report = monotonic_ms() + report_ms;
		}
	}
}

static int cycles(int argc, char **argv)
{
	static char sample[sizeof(struct exec_event)];
	static struct counter c = { "", 0, 0 };
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
	const char *end = argc > 3 ? argv[3] : "exit";
	uint64_t handle;

	for (long i = 0; i < n; i++) {
		handle = load_embedded_object();
		attach_or_exit(handle, "handle_exec");
		if (wasm_bpf_buffer_poll(handle, map_fd_or_exit(handle, "events"), WASM_BPF_TABLE_INDEX(on_sample),
					 (uint32_t)(uintptr_t)&c, sample, (int)sizeof(sample), 0) < 0) {
			printf("POLL_FAILED cycle=%ld\n", i);
			return 1;
		}
		if (wasm_close_bpf_object(handle) != 0) {
			printf("CLOSE_FAILED cycle=%ld\n", i);
			return 1;
		}
	}
	printf("CYCLES %ld\n", n);
	/* One more, left open: the host must release it however this run ends. */
	handle = load_embedded_object();
	attach_or_exit(handle, "handle_exec");
	wasm_bpf_buffer_poll(handle, map_fd_or_exit(handle, "events"), WASM_BPF_TABLE_INDEX(on_sample),
			     (uint32_t)(uintptr_t)&c, sample, (int)sizeof(sample), 0);
	print_ready();
	if (!strcmp(end, "trap"))
		__builtin_trap();
	if (!strcmp(end, "proc_exit"))
		exit(7);
	if (!strcmp(end, "hang"))
		for (;;)
			sleep_ms(1000);
	return 0;
}

static int attach(int argc, char **argv)
{
	uint64_t handle;

	if (argc < 4)
		return 1;
	handle = load_embedded_object();
	printf("CGROUP ret=%d\n", wasm_attach_bpf_program(handle, "egress_ok", argv[2]));
	printf("UPROBE ret=%d\n", wasm_attach_bpf_program(handle, "on_uprobe", argv[3]));
	return 0;
}

static int hold(void)
{
	uint64_t handle = load_embedded_object();

	printf("OWN_FD %d\n", map_fd_or_exit(handle, "lost"));
	print_ready();
	for (;;)
		sleep_ms(1000);
}

static int mapops(int argc, char **argv)
{
	uint64_t handle = load_embedded_object();
	uint32_t key = 0;
	uint64_t value = 0;

	int own = map_fd_or_exit(handle, "lost");

	printf("OWN_FD %d\n", own);
	printf("MAPOP_OWN ret=%d\n", wasm_bpf_map_operate(own, WASM_BPF_MAP_LOOKUP_ELEM, &key, &value, NULL, 0));
	for (int i = 2; i < argc; i++) {
		int fd = (int)strtol(argv[i], NULL, 10);

		printf("MAPOP fd=%d ret=%d\n", fd,
		       wasm_bpf_map_operate(fd, WASM_BPF_MAP_LOOKUP_ELEM, &key, &value, NULL, 0));
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "count"))
		return count(argc, argv);
	if (!strcmp(mode, "cycles"))
		return cycles(argc, argv);
	if (!strcmp(mode, "attach"))
		return attach(argc, argv);
	if (!strcmp(mode, "hold"))
		return hold();
	if (!strcmp(mode, "mapops"))
		return mapops(argc, argv);
	printf("USAGE count|cycles|attach|hold|mapops …\n");
	return 1;
}
