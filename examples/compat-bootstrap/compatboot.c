// SPDX-License-Identifier: Apache-2.0
/*
 * bootstrap's user-space half written as upstream wasm-bpf's article and examples write it:
 * skeleton + rodata + bpf_buffer__open(skel->maps.rb, cb, NULL) returning a struct bpf_buffer *
 * + bpf_buffer__poll(rb, 100). Nothing here is specific to our SDK; it must build with
 * -Werror=incompatible-pointer-types -Werror=int-conversion -Werror=implicit-function-declaration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "compatboot.skel.h"
#include "../bootstrap/bootstrap.h"

static struct env {
	long min_duration_ms;
} env;

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	const struct event *e = data;
	struct tm *tm;
	char ts[32];
	time_t t;

	(void)ctx;
	(void)data_sz;
	time(&t);
	tm = localtime(&t);
	strftime(ts, sizeof(ts), "%H:%M:%S", tm);
	if (e->exit_event) {
		printf("%-8s %-5s %-16s %-7d %-7d [%u]", ts, "EXIT", e->comm, e->pid, e->ppid,
		       e->exit_code);
		if (e->duration_ns)
			printf(" (%llums)", e->duration_ns / 1000000);
		printf("\n");
	} else {
		printf("%-8s %-5s %-16s %-7d %-7d %s\n", ts, "EXEC", e->comm, e->pid, e->ppid,
		       e->filename);
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_buffer *rb = NULL;
	struct compatboot_bpf *skel;
	int err;

	if (argc > 1)
		env.min_duration_ms = strtol(argv[1], NULL, 10);

	skel = compatboot_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}
	skel->rodata->min_duration_ns = env.min_duration_ms * 1000000ULL;
	err = compatboot_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton\n");
		goto cleanup;
	}
	err = compatboot_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton\n");
		goto cleanup;
	}
	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -1;
		fprintf(stderr, "Failed to create ring buffer\n");
		goto cleanup;
	}
	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID", "PPID",
	       "FILENAME/EXIT CODE");
	fflush(stdout);
	while (1) {
		err = bpf_buffer__poll(rb, 100 /* timeout, ms */);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			printf("Error polling perf buffer: %d\n", err);
			break;
		}
	}
cleanup:
	bpf_buffer__free(rb);
	compatboot_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
