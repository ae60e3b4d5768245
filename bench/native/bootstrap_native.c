// SPDX-License-Identifier: Apache-2.0
/*
 * bootstrap_native — the native baseline of the benchmarks: the same bootstrap.bpf.o the wasm
 * guest embeds (read from a file here, so the bytes are provably identical), driven by Debian's
 * libbpf exactly the way examples/bootstrap/bootstrap.c drives it through the wasm ABI, printing
 * the same lines. stdout is line-buffered so each event line leaves at once, as the guest's do.
 *
 *   bootstrap_native BOOTSTRAP.bpf.o
 *
 * With BENCH_PHASES set in the environment it also prints, on stderr after the header, when main began, when
 * libbpf's open + load returned and when the last attach returned (CLOCK_MONOTONIC ns, the clock Python's
 * time.monotonic_ns reads), so bench/daemon can split a cold start into spawn, open + load, attach.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>
#include "../../examples/bootstrap/bootstrap.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int silent(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, format, args);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct event *e = data;
	struct tm *tm;
	char ts[32];
	time_t t;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
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
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = n;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	struct bpf_program *prog;
	size_t size = 0;
	void *bytes;
	int err;
	long long t_main = now_ns(), t_loaded = 0, t_attached = 0;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s BOOTSTRAP.bpf.o\n", argv[0]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(silent);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	bytes = read_file(argv[1], &size);
	if (!bytes) {
		fprintf(stderr, "Cannot read %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	obj = bpf_object__open_mem(bytes, size, NULL);
	if (!obj) {
		fprintf(stderr, "Failed to open BPF object: %s\n", strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF object: %s\n", strerror(-err));
		goto cleanup;
	}
	t_loaded = now_ns();
	/* What the skeleton's __attach does: every program by its section. */
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			err = -errno;
			fprintf(stderr, "Failed to attach %s: %s\n", bpf_program__name(prog), strerror(-err));
			goto cleanup;
		}
	}
	t_attached = now_ns();
	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID", "PPID",
	       "FILENAME/EXIT CODE");
	if (getenv("BENCH_PHASES"))
		fprintf(stderr, "PHASES main=%lld loaded=%lld attached=%lld\n", t_main, t_loaded, t_attached);

	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "rb"), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	while (!exiting) {
		err = ring_buffer__poll(rb, 100);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "Error polling ring buffer: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}

cleanup:
	ring_buffer__free(rb);
	bpf_object__close(obj); /* also destroys the links */
	free(bytes);
	return err < 0 ? -err : 0;
}
