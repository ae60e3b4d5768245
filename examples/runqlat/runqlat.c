// SPDX-License-Identifier: Apache-2.0
/*
 * runqlat — the wasm32-wasi side of libbpf-tools' runqlat: load runqlat.bpf.o, then every
 * interval read the histograms from the `hists` hash map (bpf_map_get_next_key + lookup), print
 * them as log2 histograms and delete them, so each interval starts from zero.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "runqlat.h"
#include "runqlat.skel.h"

_Static_assert(sizeof(struct hist) == MAX_SLOTS * 4 + TASK_COMM_LEN, "struct hist layout");
_Static_assert(offsetof(struct hist, comm) == MAX_SLOTS * 4, "comm offset");

/* Without an interval, print this often: Ctrl-C stops a Wasm module at once, there is no
 * "print on exit" as the native tool does. */
#define DEFAULT_INTERVAL_S 5

struct options {
	bool timestamp;
	bool milliseconds;
	bool per_process;
	bool per_thread;
	bool verbose;
	int pid;
	long interval;
	long times; /* 0: forever */
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-h] [-T] [-m] [-P] [-L] [-p PID] [-v] [interval] [count]\n"
		"Summarize run queue (scheduler) latency as a histogram.\n"
		"\n"
		"  interval    seconds between histograms (default %d)\n"
		"  count       number of histograms, then exit (default: until stopped)\n"
		"  -T          include a timestamp with each histogram\n"
		"  -m          millisecond histogram (default: microseconds)\n"
		"  -P          one histogram per process ID\n"
		"  -L          one histogram per thread ID\n"
		"  -p PID      only trace this process\n"
		"  -v          verbose: show the SDK's debug output\n"
		"  -h          show this help\n"
		"\n"
		"Examples:\n"
		"  %s            # summarize run queue latency every %d s\n"
		"  %s 1 10       # print 1 second summaries, 10 times\n"
		"  %s -mT 1      # 1s summaries, milliseconds, and timestamps\n"
		"  %s -P         # show each PID separately\n",
		prog, DEFAULT_INTERVAL_S, prog, DEFAULT_INTERVAL_S, prog, prog, prog);
}

/* argv[0] is the module's path as given: show its last component. */
static const char *prog_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? slash + 1 : argv0;
}

static bool parse_long(const char *s, long min, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min)
		return false;
	*out = v;
	return true;
}

/* 0 when parsed, 1 for -h (print help, exit 0), -1 for a usage error. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	long value;
	int c;

	opts->interval = DEFAULT_INTERVAL_S;
	while ((c = getopt(argc, argv, "TmPLp:vh")) != -1) {
		switch (c) {
		case 'T': opts->timestamp = true; break;
		case 'm': opts->milliseconds = true; break;
		case 'P': opts->per_process = true; break;
		case 'L': opts->per_thread = true; break;
		case 'v': opts->verbose = true; break;
		case 'p':
			if (!parse_long(optarg, 1, &value) || value > INT_MAX) {
				fprintf(stderr, "Invalid PID: %s\n", optarg);
				return -1;
			}
			opts->pid = (int)value;
			break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (opts->per_process && opts->per_thread) {
		fprintf(stderr, "-P and -L are mutually exclusive\n");
		return -1;
	}
	if (optind < argc) {
		if (!parse_long(argv[optind], 1, &opts->interval) || opts->interval > INT_MAX) {
			fprintf(stderr, "Invalid interval: %s\n", argv[optind]);
			return -1;
		}
		optind++;
	}
	if (optind < argc) {
		if (!parse_long(argv[optind], 1, &opts->times)) {
			fprintf(stderr, "Invalid count: %s\n", argv[optind]);
			return -1;
		}
		optind++;
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

static void print_stars(unsigned int val, unsigned int val_max, int width)
{
	int num_stars = (int)((unsigned long long)(val < val_max ? val : val_max) * width / val_max);
	int i;

	for (i = 0; i < num_stars; i++)
		putchar('*');
	for (; i < width; i++)
		putchar(' ');
	if (val > val_max)
		putchar('+');
}

/* The bcc/libbpf-tools histogram: one line per slot up to the last non-empty one. */
static void print_log2_hist(const unsigned int *vals, int vals_size, const char *val_type)
{
	unsigned int val_max = 0;
	int idx_max = -1, i;

	for (i = 0; i < vals_size; i++) {
		if (vals[i] > 0)
			idx_max = i;
		if (vals[i] > val_max)
			val_max = vals[i];
	}
	if (idx_max < 0)
		return;
	printf("%*s%-*s : count    distribution\n", 5, "", 19, val_type);
	for (i = 0; i <= idx_max; i++) {
		unsigned long long low = (1ULL << (i + 1)) >> 1;
		unsigned long long high = (1ULL << (i + 1)) - 1;

		if (low == high)
			low -= 1;
		printf("%*llu -> %-*llu : %-8u |", 10, low, 10, high, vals[i]);
		print_stars(vals[i], val_max, 40);
		printf("|\n");
	}
}

/*
 * Print every histogram of the map, then delete them all, as the original does. Returns the
 * number of samples read, or -errno.
 */
static long long print_and_clear_hists(int fd, const struct options *opts)
{
	const char *units = opts->milliseconds ? "msecs" : "usecs";
	unsigned int key, next_key;
	unsigned int *prev = NULL;
	long long total = 0;
	int histograms = 0;
	struct hist hist;
	int err, i;

	while ((err = bpf_map_get_next_key(fd, prev, &next_key)) == 0) {
		err = bpf_map_lookup_elem(fd, &next_key, &hist);
		if (err == -ENOENT) {
			/* deleted under us (cannot happen here, but harmless): go on */
		} else if (err < 0) {
			fprintf(stderr, "Failed to look up histogram: %s\n", strerror(-err));
			return err;
		} else {
			if (opts->per_process)
				printf("\npid = %u %.*s\n", next_key, TASK_COMM_LEN, hist.comm);
			else if (opts->per_thread)
				printf("\ntid = %u %.*s\n", next_key, TASK_COMM_LEN, hist.comm);
			print_log2_hist(hist.slots, MAX_SLOTS, units);
			for (i = 0; i < MAX_SLOTS; i++)
				total += hist.slots[i];
			histograms++;
		}
		key = next_key;
		prev = &key;
	}
	if (err != -ENOENT) {
		fprintf(stderr, "Failed to iterate histograms: %s\n", strerror(-err));
		return err;
	}

	/* Deleting a key makes get_next_key of it restart from the first: every pass removes one. */
	while ((err = bpf_map_get_next_key(fd, NULL, &next_key)) == 0) {
		err = bpf_map_delete_elem(fd, &next_key);
		if (err < 0 && err != -ENOENT) {
			fprintf(stderr, "Failed to delete histogram: %s\n", strerror(-err));
			return err;
		}
	}
	/* Not in the original: lets a reader check the histograms against what was read. */
	printf("total = %lld samples in %d histogram%s\n", total, histograms,
	       histograms == 1 ? "" : "s");
	return total;
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct runqlat_bpf *skel;
	long long printed;
	long round = 0;
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

	skel = runqlat_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_per_process = opts.per_process;
	skel->rodata->targ_per_thread = opts.per_thread;
	skel->rodata->targ_ms = opts.milliseconds;
	skel->rodata->targ_tgid = opts.pid;

	err = runqlat_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}
	err = runqlat_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}

	printf("Tracing run queue latency... Hit Ctrl-C to end.\n");

	/* The runtime ends the module inside sleep() on Ctrl-C, releasing every kernel object. */
	for (;;) {
		sleep((unsigned)opts.interval);
		printf("\n");
		if (opts.timestamp) {
			char ts[32];
			time_t t = time(NULL);

			strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
			printf("%-8s\n", ts);
		}
		printed = print_and_clear_hists(bpf_map__fd(skel->maps.hists), &opts);
		if (printed < 0) {
			err = (int)printed;
			break;
		}
		if (opts.times && ++round >= opts.times)
			break;
	}

cleanup:
	runqlat_bpf__destroy(skel);
	/* libbpf-tools: any failure is exit status 1. */
	return err != 0;
}
