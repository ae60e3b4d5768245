// SPDX-License-Identifier: Apache-2.0
/*
 * xdp — the wasm32-wasi side of a per-protocol packet counter: attach xdp.bpf.o's program to an
 * interface and print, every interval, how many packets and bytes it received per IP protocol
 * since the start (summed over every CPU's counters).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "xdp.h"
#include "xdp.skel.h"

_Static_assert(sizeof(struct datarec) == 16, "struct datarec must be 16 bytes on wasm32 too");

/*
 * A per-CPU lookup fills one value per possible CPU. The guest can't read how many there are, so the
 * buffer is sized for the largest NR_CPUS a kernel can be built with and the SDK measures the real
 * count once (libbpf_wasm_num_possible_cpus).
 */
#define MAX_CPUS LIBBPF_WASM_MAX_CPUS

static struct datarec percpu[MAX_CPUS];

struct options {
	const char *ifname;
	long interval_s;
	long count;
	bool verbose;
};

struct proto_name {
	unsigned number;
	const char *name;
};

static const struct proto_name PROTOCOLS[] = {
	{ 0, "HOPOPT" }, { 1, "ICMP" }, { 2, "IGMP" }, { 6, "TCP" }, { 17, "UDP" },
	{ 41, "IPv6" }, { 43, "IPv6-Route" }, { 44, "IPv6-Frag" }, { 47, "GRE" }, { 50, "ESP" },
	{ 58, "ICMPv6" }, { 132, "SCTP" }, { XDP_KEY_NON_IP, "non-IP" },
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-v] [-h] [IFNAME [INTERVAL [COUNT]]]\n"
		"Count the packets an interface receives per IP protocol, with an XDP program.\n"
		"\n"
		"  IFNAME    interface (default lo; XDP runs in generic mode where the driver has none)\n"
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
	if (optind < argc)
		opts->ifname = argv[optind++];
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
	if (opts->ifname[0] == '\0' || strlen(opts->ifname) >= 16) {
		fprintf(stderr, "Invalid interface name: '%s'\n", opts->ifname);
		return -1;
	}
	return 0;
}

static int print_all(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	return vfprintf(stderr, format, args);
}

static const char *proto_name(unsigned number)
{
	for (size_t i = 0; i < sizeof(PROTOCOLS) / sizeof(PROTOCOLS[0]); i++)
		if (PROTOCOLS[i].number == number)
			return PROTOCOLS[i].name;
	return NULL;
}

/* One key's counters summed over the CPUs. */
static int read_total(int map_fd, __u32 key, int ncpus, struct datarec *total)
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
	struct datarec total;
	char ts[16], number[8];
	const char *name;
	struct tm *tm;
	time_t t;
	int err;

	time(&t);
	tm = localtime(&t);
	strftime(ts, sizeof(ts), "%H:%M:%S", tm);
	for (__u32 key = 0; key < XDP_KEYS; key++) {
		err = read_total(map_fd, key, ncpus, &total);
		if (err)
			return err;
		if (!total.packets)
			continue;
		name = proto_name(key);
		if (!name) {
			snprintf(number, sizeof(number), "%u", key);
			name = number;
		}
		printf("%-8s %-10s %12llu %14llu\n", ts, name, total.packets, total.bytes);
	}
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts = { .ifname = "lo", .interval_s = 1 };
	struct xdp_bpf *skel;
	int err, map_fd, ncpus;

	err = parse_options(argc, argv, &opts);
	if (err) {
		usage(err > 0 ? stdout : stderr, argv[0]);
		return err > 0 ? 0 : 1;
	}
	if (opts.verbose)
		libbpf_set_print(print_all);

	skel = xdp_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	map_fd = bpf_map__fd(skel->maps.stats);

	/* Before attach: every counter is still zero. */
	ncpus = libbpf_wasm_num_possible_cpus(map_fd, &(__u32){ 0 }, sizeof(percpu[0]));
	if (ncpus < 0) {
		err = ncpus;
		fprintf(stderr, "Failed to read the per-CPU counters: %s\n", strerror(-err));
		goto cleanup;
	}

	/* For an XDP program the target is the interface name; the host attaches with a link. */
	err = bpf_program__set_attach_target(skel->progs.xdp_count, 0, opts.ifname);
	if (!err)
		err = xdp_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach XDP program to %s: %s\n", opts.ifname, strerror(-err));
		goto cleanup;
	}

	printf("Counting packets received on %s per IP protocol (%d CPUs), every %ld s, Ctrl-C to stop.\n",
	       opts.ifname, ncpus, opts.interval_s);
	printf("%-8s %-10s %12s %14s\n", "TIME", "PROTO", "PACKETS", "BYTES");

	/* The runtime ends the module at a host call (sleep is one) on Ctrl-C, detaching the program. */
	for (long n = 0; !opts.count || n < opts.count; n++) {
		sleep((unsigned)opts.interval_s);
		err = print_report(map_fd, ncpus);
		if (err) {
			fprintf(stderr, "Failed to read the counters: %s\n", strerror(-err));
			break;
		}
	}

cleanup:
	xdp_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
