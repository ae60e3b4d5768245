/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "wait for my exec" logic of ringbuf_exec, perfbuf_exec, sdk_ringbuf_exec and tinygo_style:
 * args `<marker> [timeout_ms=10000]`; the first event whose filename contains the marker is
 * printed as `EXEC pid=… ppid=… comm=… filename=…` (exit 0); none before the deadline prints
 * TIMEOUT (exit 2).
 */
#ifndef EXEC_WATCH_H
#define EXEC_WATCH_H

#include "exec_event.h"
#include "guest.h"

#define EXIT_TIMEOUT 2

struct exec_watch {
	const char *marker;
	long timeout_ms;
	int found;
};

static inline void exec_watch_init(struct exec_watch *w, int argc, char **argv)
{
	if (argc < 2) {
		printf("USAGE %s <marker> [timeout_ms]\n", argv[0]);
		exit(1);
	}
	w->marker = argv[1];
	w->timeout_ms = argc > 2 ? strtol(argv[2], NULL, 10) : 10000;
	w->found = 0;
}

/* Returns 0 so the poll delivers the rest of the batch; the first match is the one printed. */
static inline int exec_watch_on_sample(struct exec_watch *w, const void *data, size_t size)
{
	struct exec_event e;

	if (w->found || size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[EXEC_COMM_LEN - 1] = '\0';
	e.filename[EXEC_FILENAME_LEN - 1] = '\0';
	if (!strstr(e.filename, w->marker))
		return 0;
	w->found = 1;
	printf("EXEC pid=%u ppid=%u comm=%s filename=%s\n", e.pid, e.ppid, e.comm, e.filename);
	return 0;
}

/* Poll in 100 ms steps with `poll_once` until found or the deadline; returns the exit code. */
static inline int exec_watch_run(struct exec_watch *w, int (*poll_once)(void *arg), void *arg)
{
	int64_t deadline = monotonic_ms() + w->timeout_ms;
	int ret;

	while (!w->found) {
		if (monotonic_ms() >= deadline) {
			printf("TIMEOUT\n");
			return EXIT_TIMEOUT;
		}
		ret = poll_once(arg);
		if (ret < 0) {
			printf("POLL_FAILED ret=%d\n", ret);
			return 1;
		}
	}
	return 0;
}

#endif /* EXEC_WATCH_H */
