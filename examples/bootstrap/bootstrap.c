// SPDX-License-Identifier: Apache-2.0
/*
 * bootstrap — the wasm32-wasi side of libbpf-bootstrap's "bootstrap" example: load
 * bootstrap.bpf.o through its skeleton, optionally set the minimum process duration, and print
 * one line per exec and per exit.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "bootstrap.h"
#include "bootstrap.skel.h"

/* The BPF side writes this struct with x86-64 layout; the two must agree byte for byte. */
_Static_assert(sizeof(struct event) == 168, "struct event must be 168 bytes on wasm32 too");
_Static_assert(offsetof(struct event, duration_ns) == 16, "duration_ns offset");
_Static_assert(offsetof(struct event, comm) == 24, "comm offset");
_Static_assert(offsetof(struct event, exit_event) == 167, "exit_event offset");

struct options {
	bool verbose;
	long min_duration_ms;
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-d MIN-DURATION-MS] [-v] [-h]\n"
		"Trace process start and exits, with how long each process lived.\n"
		"\n"
		"  -d MIN-DURATION-MS  only report exits of processes that lived at least this long\n"
		"  -v                  verbose: show the SDK's debug output\n"
		"  -h                  show this help\n",
		prog);
}

/* 0 when parsed, 1 for -h (print help, exit 0), -1 for a usage error. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	char *end;
	int c;

	while ((c = getopt(argc, argv, "d:vh")) != -1) {
		switch (c) {
		case 'd':
			opts->min_duration_ms = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || opts->min_duration_ms <= 0) {
				fprintf(stderr, "Invalid duration: %s\n", optarg);
				return -1;
			}
			break;
		case 'v':
			opts->verbose = true;
			break;
		case 'h':
			return 1;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Unexpected argument: %s\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int print_all(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
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

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct bpf_buffer *buf = NULL;
	struct bootstrap_bpf *skel;
	int err;

	err = parse_options(argc, argv, &opts);
	if (err) {
		usage(err > 0 ? stdout : stderr, argv[0]);
		return err > 0 ? 0 : 1;
	}
	if (opts.verbose)
		libbpf_set_print(print_all);

	skel = bootstrap_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}

	/* .rodata is patched in the ELF before load: the verifier sees the final constant. */
	skel->rodata->min_duration_ns = (unsigned long long)opts.min_duration_ms * 1000000ULL;

	buf = bpf_buffer__new(skel->maps.rb, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}

	err = bootstrap_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}

	err = bootstrap_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}

	/* Attached: events from now on wait in the ring buffer, so the header comes first. */
	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID", "PPID",
	       "FILENAME/EXIT CODE");

	err = bpf_buffer__open(buf, handle_event, NULL);
	if (err) {
		fprintf(stderr, "Failed to open ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}

	/* The runtime ends the module at a host call on Ctrl-C, releasing every kernel object. */
	for (;;) {
		err = bpf_buffer__poll(buf, 100);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "Error polling ring buffer: %s\n", strerror(-err));
			break;
		}
	}

cleanup:
	bpf_buffer__free(buf);
	bootstrap_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
