// SPDX-License-Identifier: Apache-2.0
/*
 * uprobe — the wasm32-wasi side of libbpf-bootstrap's uprobe example: attach a uprobe and a
 * uretprobe to `int FUNCTION(int a, int b)` of BINARY (uprobed_add of the uprobe_target built
 * alongside, by default) and print each call's arguments and each return value.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "uprobe.h"
#include "uprobe.skel.h"

_Static_assert(offsetof(struct event, ret) == 20, "ret offset");
_Static_assert(offsetof(struct event, comm) == 24, "comm offset");
_Static_assert(sizeof(struct event) == 40, "struct event size");

#define DEFAULT_FUNCTION "uprobed_add"

struct options {
	const char *binary;
	const char *function;
	int pid;
	bool timestamp;
	bool verbose;
};

static const char *prog_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? slash + 1 : argv0;
}

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-h] [-T] [-p PID] [-v] BINARY [FUNCTION]\n"
		"Trace calls of `int FUNCTION(int a, int b)` in BINARY: arguments and return value.\n"
		"\n"
		"  BINARY      the program or library to probe (a host path; the runtime must be\n"
		"              allowed to attach there: wasm-bpf --allow-attach DIR)\n"
		"  FUNCTION    the function's symbol (default %s)\n"
		"  -T          include a time column (HH:MM:SS)\n"
		"  -p PID      only trace this process\n"
		"  -v          verbose: show the SDK's debug output\n"
		"  -h          show this help\n"
		"\n"
		"Example:\n"
		"  wasm-bpf --allow-attach DIR uprobe DIR/uprobe_target\n"
		"  DIR/uprobe_target 1 2      # in another shell\n",
		prog, DEFAULT_FUNCTION);
}

/* 0 when parsed, 1 for -h (print help, exit 0), -1 for a usage error. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	char *end;
	long value;
	int c;

	opts->function = DEFAULT_FUNCTION;
	while ((c = getopt(argc, argv, "Tp:vh")) != -1) {
		switch (c) {
		case 'T': opts->timestamp = true; break;
		case 'v': opts->verbose = true; break;
		case 'p':
			value = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || value < 1 || value > INT_MAX) {
				fprintf(stderr, "Invalid PID: %s\n", optarg);
				return -1;
			}
			opts->pid = (int)value;
			break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "Missing BINARY\n");
		return -1;
	}
	opts->binary = argv[optind++];
	if (optind < argc)
		opts->function = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "Unexpected argument: %s\n", argv[optind]);
		return -1;
	}
	if (!*opts->binary || !*opts->function || strchr(opts->function, ':')) {
		fprintf(stderr, "Invalid BINARY or FUNCTION\n");
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

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[TASK_COMM_LEN - 1] = '\0';
	if (opts->timestamp) {
		char ts[32];
		time_t t = time(NULL);

		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
		printf("%-8s ", ts);
	}
	printf("%-7d %-16s ", e.pid, e.comm);
	if (e.kind == UPROBE_ENTRY)
		printf("%s(%d, %d)\n", opts->function, e.a, e.b);
	else
		printf("%s returned %d\n", opts->function, e.ret);
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct bpf_buffer *buf = NULL;
	struct uprobe_bpf *skel;
	char *target = NULL;
	size_t target_len;
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

	skel = uprobe_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_pid = opts.pid;

	/* The ABI's uprobe target: "path:function" (see shared/spec/wasm-bpf-abi.md). */
	target_len = strlen(opts.binary) + 1 + strlen(opts.function) + 1;
	target = malloc(target_len);
	if (!target) {
		err = -ENOMEM;
		goto cleanup;
	}
	snprintf(target, target_len, "%s:%s", opts.binary, opts.function);
	err = bpf_program__set_attach_target(skel->progs.uprobe_add, 0, target);
	if (!err)
		err = bpf_program__set_attach_target(skel->progs.uretprobe_add, 0, target);
	if (err) {
		fprintf(stderr, "Failed to set the attach target: %s\n", strerror(-err));
		goto cleanup;
	}

	buf = bpf_buffer__new(skel->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	err = uprobe_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}
	err = uprobe_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach to %s: %s%s\n", target, strerror(-err),
			err == -EACCES ? " (grant the directory with --allow-attach)" : "");
		goto cleanup;
	}

	if (opts.timestamp)
		printf("%-8s ", "TIME");
	printf("%-7s %-16s %s\n", "PID", "COMM", "CALL");

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
	uprobe_bpf__destroy(skel);
	free(target);
	/* libbpf-tools: any failure is exit status 1. */
	return err != 0;
}
