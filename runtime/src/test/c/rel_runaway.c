// SPDX-License-Identifier: Apache-2.0
/*
 * Runaway guests for the timeout, memory-limit and terminate tests; argv[1] picks the misbehaviour:
 *   loop      spin in Wasm code without host calls
 *   nap       sleep "forever" (nanosleep -> poll_oneoff with a ~30-year timeout)
 *   hog       malloc 1 MiB blocks and touch them until malloc fails, then abort() (a trap)
 *   hog-exit  the same, but exit(3) when malloc fails (a guest that handles it)
 *   callback  attach the exec tracer; the sample callback never returns
 *   hold-spin attach the exec tracer, then wait on a flag nobody sets: a loop closed by br_if, which
 *             Chicory's interpreter cannot interrupt
 * Each prints READY (flushed) before it misbehaves.
 */
#include "guest.h"

static volatile unsigned long spins;
static volatile int never_set;
/* Every block is kept reachable, or the compiler may drop a malloc whose memory nobody reads. */
static char *volatile last_block;

static int stuck(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	printf("IN_CALLBACK\n");
	fflush(stdout);
	for (;;)
		spins++;
	return 0;
}

static void hog(int abort_on_failure)
{
	unsigned long megabytes = 0;

	print_ready();
	for (;;) {
		char *block = malloc(1 << 20);

		if (!block) {
			printf("MALLOC_FAILED after=%lu MiB\n", megabytes);
			fflush(stdout);
			if (abort_on_failure)
				abort();
			exit(3);
		}
		memset(block, 1, 1 << 20);
		*(char **)block = last_block;
		last_block = block;
		megabytes++;
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "loop";

	if (!strcmp(mode, "loop")) {
		print_ready();
		for (;;)
			spins++;
	}
	if (!strcmp(mode, "nap")) {
		struct timespec forever = { 1000000000L, 0 };

		print_ready();
		nanosleep(&forever, NULL);
		printf("WOKE_UP\n");
		return 4;
	}
	if (!strcmp(mode, "hog"))
		hog(1);
	if (!strcmp(mode, "hog-exit"))
		hog(0);
	if (!strcmp(mode, "callback")) {
		static char sample[256];
		uint64_t handle = load_embedded_object();
		int events = map_fd_or_exit(handle, "events");

		attach_or_exit(handle, "handle_exec");
		print_ready();
		for (;;)
			wasm_bpf_buffer_poll(handle, events, WASM_BPF_TABLE_INDEX(stuck), 0, sample,
					     (int)sizeof(sample), 100);
	}
	if (!strcmp(mode, "hold-spin")) {
		uint64_t handle = load_embedded_object();

		attach_or_exit(handle, "handle_exec");
		/* The test watches the counter to know the guest is in the loop, and sets the flag once it has
		 * seen the guest abandoned, so that its thread ends. The loop's only back-edge is a br_if. */
		printf("FLAG %lu SPINS %lu\n", (unsigned long)(uintptr_t)&never_set, (unsigned long)(uintptr_t)&spins);
		print_ready();
		do
			spins++;
		while (!never_set);
		return 5;
	}
	printf("USAGE loop|nap|hog|hog-exit|callback|hold-spin\n");
	return 1;
}
