// SPDX-License-Identifier: Apache-2.0
/*
 * opensnoop — the wasm32-wasi side of libbpf-tools' opensnoop: load opensnoop.bpf.o, attach the
 * open/openat tracepoints, and print one line per call from the perf buffer.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "opensnoop.h"
#include "opensnoop.skel.h"

_Static_assert(offsetof(struct event, pid) == 8, "pid offset");
_Static_assert(offsetof(struct event, comm) == 24, "comm offset");
_Static_assert(offsetof(struct event, fname) == 40, "fname offset");
_Static_assert(sizeof(struct event) == 296, "struct event size");

struct options {
	int pid;
	int tid;
	long uid; /* -1: any */
	long duration_s; /* 0: until stopped */
	bool timestamp;
	bool print_uid;
	bool extended;
	bool failed;
	bool verbose;
	const char *name;
};

static const char *prog_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? slash + 1 : argv0;
}

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-h] [-T] [-U] [-x] [-e] [-p PID] [-t TID] [-u UID] [-n NAME] [-d DURATION] [-v]\n"
		"Trace open family syscalls.\n"
		"\n"
		"  -T           include a time column (HH:MM:SS)\n"
		"  -U           include a UID column\n"
		"  -x           only show failed opens\n"
		"  -e           show extended fields (open flags, octal)\n"
		"  -p PID       only trace this process ID\n"
		"  -t TID       only trace this thread ID\n"
		"  -u UID       only trace this user ID\n"
		"  -n NAME      only print processes whose name contains NAME\n"
		"  -d DURATION  trace for this many seconds, then exit\n"
		"  -v           verbose: show the SDK's debug output\n"
		"  -h           show this help\n"
		"\n"
		"Examples:\n"
		"  %s             # trace all open() syscalls\n"
		"  %s -T          # include timestamps\n"
		"  %s -x          # only show failed opens\n"
		"  %s -p 181      # only trace PID 181\n"
		"  %s -n main     # only print process names containing \"main\"\n",
		prog, prog, prog, prog, prog, prog);
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* 0 when parsed, 1 for -h (print help, exit 0), -1 for a usage error. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	long value;
	int c;

	opts->uid = -1;
	while ((c = getopt(argc, argv, "TUxep:t:u:n:d:vh")) != -1) {
		switch (c) {
		case 'T': opts->timestamp = true; break;
		case 'U': opts->print_uid = true; break;
		case 'x': opts->failed = true; break;
		case 'e': opts->extended = true; break;
		case 'v': opts->verbose = true; break;
		case 'n': opts->name = optarg; break;
		case 'p':
		case 't':
			if (!parse_long(optarg, 1, INT_MAX, &value)) {
				fprintf(stderr, "Invalid %s: %s\n", c == 'p' ? "PID" : "TID", optarg);
				return -1;
			}
			if (c == 'p')
				opts->pid = (int)value;
			else
				opts->tid = (int)value;
			break;
		case 'u':
			if (!parse_long(optarg, 0, (long)INVALID_UID - 1, &value)) {
				fprintf(stderr, "Invalid UID: %s\n", optarg);
				return -1;
			}
			opts->uid = value;
			break;
		case 'd':
			if (!parse_long(optarg, 1, INT_MAX, &value)) {
				fprintf(stderr, "Invalid duration: %s\n", optarg);
				return -1;
			}
			opts->duration_s = value;
			break;
		case 'h': return 1;
		default: return -1;
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
	const struct options *opts = ctx;
	struct event e;
	int fd, err;

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[TASK_COMM_LEN - 1] = '\0';
	e.fname[NAME_MAX - 1] = '\0';
	if (opts->name && !strstr(e.comm, opts->name))
		return 0;

	if (e.ret >= 0) {
		fd = e.ret;
		err = 0;
	} else {
		fd = -1;
		err = -e.ret; /* the kernel's errno: 2 is ENOENT whatever this libc calls it */
	}
	if (opts->timestamp) {
		char ts[32];
		time_t t = time(NULL);

		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
		printf("%-8s ", ts);
	}
	if (opts->print_uid)
		printf("%-7u ", e.uid);
	printf("%-6d %-16s %3d %3d ", e.pid, e.comm, fd, err);
	if (opts->extended)
		printf("%08o ", e.flags);
	printf("%s\n", e.fname);
	return 0;
}

/* Attach exit before entry, so an entry never records what no exit would clear. */
static int attach_pair(struct bpf_program *enter, struct bpf_program *exit)
{
	if (!bpf_program__attach(exit))
		return -errno;
	if (!bpf_program__attach(enter))
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct bpf_buffer *buf = NULL;
	struct opensnoop_bpf *skel;
	libbpf_print_fn_t print;
	time_t start;
	int err;

	err = parse_options(argc, argv, &opts);
	if (err > 0) {
		usage(stdout, prog_name(argv[0]));
		return 0;
	}
	if (err < 0) {
		fprintf(stderr, "Try '%s -h' for more information.\n", prog_name(argv[0]));
		return 1;
	}
	if (opts.verbose)
		libbpf_set_print(print_all);

	skel = opensnoop_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_tgid = opts.pid;
	skel->rodata->targ_pid = opts.tid;
	if (opts.uid >= 0)
		skel->rodata->targ_uid = (unsigned int)opts.uid;
	skel->rodata->targ_failed = opts.failed;

	buf = bpf_buffer__new(skel->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "Failed to create perf buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	err = opensnoop_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}
	/*
	 * A perf event array drops samples nobody reads: create the reader (bpf_buffer__open does at
	 * once) before attaching, so every open after the header is seen.
	 */
	err = bpf_buffer__open(buf, handle_event, &opts);
	if (err) {
		fprintf(stderr, "Failed to open perf buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	err = attach_pair(skel->progs.handle_openat_enter, skel->progs.handle_openat_exit);
	if (err) {
		fprintf(stderr, "Failed to attach the openat tracepoints: %s\n", strerror(-err));
		goto cleanup;
	}
	/* open(2) is optional: some architectures only have openat. */
	print = opts.verbose ? print_all : libbpf_set_print(NULL);
	if (attach_pair(skel->progs.handle_open_enter, skel->progs.handle_open_exit) && opts.verbose)
		fprintf(stderr, "No open(2) tracepoints here: tracing openat(2) only\n");
	libbpf_set_print(print);

	if (opts.timestamp)
		printf("%-8s ", "TIME");
	if (opts.print_uid)
		printf("%-7s ", "UID");
	printf("%-6s %-16s %3s %3s ", "PID", "COMM", "FD", "ERR");
	if (opts.extended)
		printf("%-8s ", "FLAGS");
	printf("PATH\n");

	/* The runtime ends the module at a host call on Ctrl-C, releasing every kernel object. */
	start = time(NULL);
	while (!opts.duration_s || time(NULL) - start < opts.duration_s) {
		err = bpf_buffer__poll(buf, 100);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "Error polling perf buffer: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}

cleanup:
	bpf_buffer__free(buf);
	opensnoop_bpf__destroy(skel);
	/* libbpf-tools: any failure is exit status 1. */
	return err != 0;
}
