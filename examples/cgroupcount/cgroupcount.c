// SPDX-License-Identifier: Apache-2.0
/*
 * cgroupcount — the wasm32-wasi side of a cgroup traffic counter: attach cgroupcount.bpf.o's two
 * cgroup_skb programs to a cgroup v2 directory and print, every interval, the packets and bytes
 * its sockets received and sent since the start (summed over every CPU's counters).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "cgroupcount.h"
#include "cgroupcount.skel.h"

_Static_assert(sizeof(struct counter) == 16, "struct counter must be 16 bytes on wasm32 too");

/*
 * A per-CPU lookup fills one value per possible CPU. The guest can't read how many there are, so the
 * buffer is sized for the largest NR_CPUS a kernel can be built with and the SDK measures the real
 * count once (libbpf_wasm_num_possible_cpus).
 */
#define MAX_CPUS LIBBPF_WASM_MAX_CPUS

static struct counter percpu[MAX_CPUS];

static const char *const DIRECTION_NAMES[DIRECTIONS] = { "ingress", "egress" };

struct options {
	const char *cgroup;
	long interval_s;
	long count;
	bool verbose;
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-v] [-h] CGROUP [INTERVAL [COUNT]]\n"
		"Count the packets and bytes the sockets of a cgroup v2 receive and send.\n"
		"\n"
		"  CGROUP    a cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice (the runtime only\n"
		"            allows paths under --allow-attach, default /sys/fs/cgroup)\n"
		"  INTERVAL  seconds between reports (default 1)\n"
		"  COUNT     number of reports, then exit (default: until Ctrl-C)\n"
		"  -v        verbose: show the SDK's debug output\n"
		"  -h        show this help\n",
		prog);
}

static long parse_positive(const char *arg, long max)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || n < 1 || n > max)
		return -1;
	return n;
}

/* 0 when parsed, 1 for -h (print help, exit 0), -1 for a usage error. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	int c;

	while ((c = getopt(argc, argv, "vh")) != -1) {
		switch (c) {
		case 'v':
			opts->verbose = true;
			break;
		case 'h':
			return 1;
		default:
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "Missing the cgroup directory\n");
		return -1;
	}
	opts->cgroup = argv[optind++];
	if (optind < argc) {
		opts->interval_s = parse_positive(argv[optind++], 3600);
		if (opts->interval_s < 0) {
			fprintf(stderr, "Invalid interval: %s\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		opts->count = parse_positive(argv[optind++], 1000000000L);
		if (opts->count < 0) {
			fprintf(stderr, "Invalid count: %s\n", argv[optind - 1]);
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

/* One direction's counters summed over the CPUs. */
static int read_total(int map_fd, __u32 key, int ncpus, struct counter *total)
{
	int err = bpf_map_lookup_elem(map_fd, &key, percpu);

	if (err)
		return err;
	total->packets = 0;
	total->bytes = 0;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		total->packets += percpu[cpu].packets;
		total->bytes += percpu[cpu].bytes;
	}
	return 0;
}

static int print_report(int map_fd, int ncpus)
{
	struct counter total;
	char ts[16];
	struct tm *tm;
	time_t t;
	int err;

	time(&t);
	tm = localtime(&t);
	strftime(ts, sizeof(ts), "%H:%M:%S", tm);
	for (__u32 key = 0; key < DIRECTIONS; key++) {
		err = read_total(map_fd, key, ncpus, &total);
		if (err)
			return err;
		printf("%-8s %-8s %12llu %14llu\n", ts, DIRECTION_NAMES[key], total.packets, total.bytes);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts = { .interval_s = 1 };
	struct cgroupcount_bpf *skel;
	int err, map_fd, ncpus;

	err = parse_options(argc, argv, &opts);
	if (err) {
		usage(err > 0 ? stdout : stderr, argv[0]);
		return err > 0 ? 0 : 1;
	}
	if (opts.verbose)
		libbpf_set_print(print_all);

	skel = cgroupcount_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	map_fd = bpf_map__fd(skel->maps.counts);

	/* Before attach: every counter is still zero. */
	ncpus = libbpf_wasm_num_possible_cpus(map_fd, &(__u32){ 0 }, sizeof(percpu[0]));
	if (ncpus < 0) {
		err = ncpus;
		fprintf(stderr, "Failed to read the per-CPU counters: %s\n", strerror(-err));
		goto cleanup;
	}

	/* For cgroup programs the target is the cgroup directory; the host attaches with links. */
	err = bpf_program__set_attach_target(skel->progs.count_ingress, 0, opts.cgroup);
	if (!err)
		err = bpf_program__set_attach_target(skel->progs.count_egress, 0, opts.cgroup);
	if (!err)
		err = cgroupcount_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach to cgroup %s: %s\n", opts.cgroup, strerror(-err));
		/* The kernel's answer for a cgroup v1 directory says nothing about cgroups. */
		if (err == -EBADF)
			fprintf(stderr, "Is it a cgroup v2 directory? (findmnt -t cgroup2 shows where v2 is mounted)\n");
		goto cleanup;
	}

	printf("Counting packets of cgroup %s (%d CPUs), every %ld s, Ctrl-C to stop.\n",
	       opts.cgroup, ncpus, opts.interval_s);
	printf("%-8s %-8s %12s %14s\n", "TIME", "DIR", "PACKETS", "BYTES");

	/* The runtime ends the module at a host call (sleep is one) on Ctrl-C, detaching the programs. */
	for (long n = 0; !opts.count || n < opts.count; n++) {
		sleep((unsigned)opts.interval_s);
		err = print_report(map_fd, ncpus);
		if (err) {
			fprintf(stderr, "Failed to read the counters: %s\n", strerror(-err));
			break;
		}
	}

cleanup:
	cgroupcount_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
