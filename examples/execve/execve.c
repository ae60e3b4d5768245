// SPDX-License-Identifier: Apache-2.0
/*
 * execve — the wasm32-wasi side of a libbpf-tools execsnoop: load execve.bpf.o, then print one
 * line per exec with the parent pid, the result and the arguments, read from the ring buffer.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "execve.h"
#include "execve.skel.h"

_Static_assert(offsetof(struct event, uid) == 8, "uid offset");
_Static_assert(offsetof(struct event, args_size) == 20, "args_size offset");
_Static_assert(offsetof(struct event, comm) == 24, "comm offset");
_Static_assert(offsetof(struct event, args) == 40, "args offset");
_Static_assert(sizeof(struct event) == 40 + FULL_MAX_ARGS_ARR, "struct event size");

struct options {
	bool timestamp;
	bool fails;
	bool quote;
	bool verbose;
	long uid; /* -1: any */
	const char *name;
	const char *line;
	int max_args;
};

static const char *prog_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? slash + 1 : argv0;
}

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-h] [-T] [-x] [-q] [-u UID] [-n NAME] [-l LINE] [-a MAX_ARGS] [-v]\n"
		"Trace exec() calls with their arguments.\n"
		"\n"
		"  -T           include a time column (HH:MM:SS)\n"
		"  -x           include failed exec()s\n"
		"  -q           put quotes around each argument\n"
		"  -u UID       only trace this user ID\n"
		"  -n NAME      only print commands whose name contains NAME\n"
		"  -l LINE      only print commands whose arguments contain LINE\n"
		"  -a MAX_ARGS  most arguments to print, filename included (1..%d, default %d)\n"
		"  -v           verbose: show the SDK's debug output\n"
		"  -h           show this help\n"
		"\n"
		"Examples:\n"
		"  %s              # trace all exec() syscalls\n"
		"  %s -x           # include failed exec()s\n"
		"  %s -u 1000      # only trace UID 1000\n"
		"  %s -n main      # only print command lines containing \"main\"\n",
		prog, TOTAL_MAX_ARGS, DEFAULT_MAXARGS, prog, prog, prog, prog);
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
	opts->max_args = DEFAULT_MAXARGS;
	while ((c = getopt(argc, argv, "Txqu:n:l:a:vh")) != -1) {
		switch (c) {
		case 'T': opts->timestamp = true; break;
		case 'x': opts->fails = true; break;
		case 'q': opts->quote = true; break;
		case 'v': opts->verbose = true; break;
		case 'n': opts->name = optarg; break;
		case 'l': opts->line = optarg; break;
		case 'u':
			if (!parse_long(optarg, 0, (long)INVALID_UID - 1, &value)) {
				fprintf(stderr, "Invalid UID: %s\n", optarg);
				return -1;
			}
			opts->uid = value;
			break;
		case 'a':
			if (!parse_long(optarg, 1, TOTAL_MAX_ARGS, &value)) {
				fprintf(stderr, "Invalid MAX_ARGS: %s (1..%d)\n", optarg, TOTAL_MAX_ARGS);
				return -1;
			}
			opts->max_args = (int)value;
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

/* Whether `needle` occurs in the NUL-separated strings of the event (each tested on its own). */
static bool args_contain(const struct event *e, const char *needle)
{
	unsigned int i = 0;

	while (i < e->args_size) {
		const char *arg = &e->args[i];
		size_t len = strnlen(arg, e->args_size - i);

		if (strstr(arg, needle))
			return true;
		i += len + 1;
	}
	return false;
}

static void print_args(const struct event *e, const struct options *opts)
{
	int printed = 0;
	unsigned int i;

	if (opts->quote)
		putchar('"');
	for (i = 0; i < e->args_size && printed < e->args_count; i++) {
		char c = e->args[i];

		if (c == '\0') {
			printed++;
			if (opts->quote)
				putchar('"');
			if (printed < e->args_count && i + 1 < e->args_size) {
				putchar(' ');
				if (opts->quote)
					putchar('"');
			}
		} else if (opts->quote && c == '"') {
			fputs("\\\"", stdout);
		} else {
			putchar(c);
		}
	}
	if (e->args_count == opts->max_args + 1)
		fputs(" ...", stdout);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	/* static: 7.7 KB is a lot for the wasm stack (64 KB by default). */
	static struct event e;
	const struct options *opts = ctx;

	/* The sample holds only the used part of args: copy it into a whole, terminated event. */
	if (size < offsetof(struct event, args))
		return 0;
	memset(&e, 0, sizeof(e));
	memcpy(&e, data, size < sizeof(e) ? size : sizeof(e));
	if (e.args_size > size - offsetof(struct event, args))
		e.args_size = size - offsetof(struct event, args);

	if (opts->name && !strstr(e.comm, opts->name))
		return 0;
	if (opts->line && !args_contain(&e, opts->line))
		return 0;

	if (opts->timestamp) {
		char ts[32];
		time_t t = time(NULL);

		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
		printf("%-8s ", ts);
	}
	printf("%-16.16s %-6d %-6d %3d ", e.comm, e.pid, e.ppid, e.retval);
	print_args(&e, opts);
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct bpf_buffer *buf = NULL;
	struct execve_bpf *skel;
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

	skel = execve_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->max_args = opts.max_args;
	skel->rodata->ignore_failed = !opts.fails;
	if (opts.uid >= 0)
		skel->rodata->targ_uid = (unsigned int)opts.uid;

	buf = bpf_buffer__new(skel->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	err = execve_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}
	err = execve_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}

	if (opts.timestamp)
		printf("%-8s ", "TIME");
	printf("%-16s %-6s %-6s %3s %s\n", "PCOMM", "PID", "PPID", "RET", "ARGS");

	err = bpf_buffer__open(buf, handle_event, &opts);
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
	execve_bpf__destroy(skel);
	/* libbpf-tools: any failure is exit status 1. */
	return err != 0;
}
