// SPDX-License-Identifier: Apache-2.0
/*
 * sockfilter — the wasm32-wasi side of a libbpf-bootstrap-style socket filter: attach
 * sockfilter.bpf.o's program to an interface (the host opens a raw packet socket bound to it) and
 * print one line per IPv4 packet, with its direction, protocol, addresses and ports.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "sockfilter.h"
#include "sockfilter.skel.h"

/* The BPF side writes this struct with x86-64 layout; the two must agree byte for byte. */
_Static_assert(sizeof(struct so_event) == 20, "struct so_event must be 20 bytes on wasm32 too");
_Static_assert(offsetof(struct so_event, src_port) == 8, "src_port offset");
_Static_assert(offsetof(struct so_event, ip_len) == 12, "ip_len offset");
_Static_assert(offsetof(struct so_event, ip_proto) == 16, "ip_proto offset");

#define PACKET_OUTGOING 4

struct options {
	const char *ifname;
	int proto;
	long port;
	long count;
	bool verbose;
};

struct proto_name {
	int number;
	const char *name;
};

static const struct proto_name PROTOCOLS[] = {
	{ 1, "ICMP" }, { 2, "IGMP" }, { 6, "TCP" }, { 17, "UDP" }, { 47, "GRE" },
	{ 50, "ESP" }, { 132, "SCTP" },
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-p PROTO] [-P PORT] [-c COUNT] [-v] [-h] [IFNAME]\n"
		"Report IPv4 packets seen on an interface (default lo), both directions.\n"
		"\n"
		"  IFNAME      interface to watch (default lo)\n"
		"  -p PROTO    only this IP protocol: tcp, udp, icmp or a number\n"
		"  -P PORT     only TCP/UDP packets from or to this port\n"
		"  -c COUNT    exit after COUNT packets\n"
		"  -v          verbose: show the SDK's debug output\n"
		"  -h          show this help\n",
		prog);
}

static const char *proto_name(int number)
{
	for (size_t i = 0; i < sizeof(PROTOCOLS) / sizeof(PROTOCOLS[0]); i++)
		if (PROTOCOLS[i].number == number)
			return PROTOCOLS[i].name;
	return NULL;
}

/* A protocol name or number, or -1. */
static int parse_proto(const char *arg)
{
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(PROTOCOLS) / sizeof(PROTOCOLS[0]); i++)
		if (strcasecmp(arg, PROTOCOLS[i].name) == 0)
			return PROTOCOLS[i].number;
	n = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || n < 1 || n > 255)
		return -1;
	return (int)n;
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

	while ((c = getopt(argc, argv, "p:P:c:vh")) != -1) {
		switch (c) {
		case 'p':
			opts->proto = parse_proto(optarg);
			if (opts->proto < 0) {
				fprintf(stderr, "Invalid protocol: %s\n", optarg);
				return -1;
			}
			break;
		case 'P':
			opts->port = parse_positive(optarg, 65535);
			if (opts->port < 0) {
				fprintf(stderr, "Invalid port: %s\n", optarg);
				return -1;
			}
			break;
		case 'c':
			opts->count = parse_positive(optarg, 1000000000L);
			if (opts->count < 0) {
				fprintf(stderr, "Invalid count: %s\n", optarg);
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
	if (optind < argc)
		opts->ifname = argv[optind++];
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

/* addr is in network byte order: its first byte in memory is the first octet. */
static void format_endpoint(char *out, size_t size, unsigned int addr, unsigned short port,
			    bool with_port)
{
	const unsigned char *b = (const unsigned char *)&addr;

	if (with_port)
		snprintf(out, size, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], port);
	else
		snprintf(out, size, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

struct state {
	long seen;
	long limit;
};

static int handle_event(void *ctx, void *data, size_t size)
{
	struct state *state = ctx;
	const struct so_event *e = data;
	char src[32], dst[32], proto[8], ts[16];
	const char *name;
	bool ports;
	struct tm *tm;
	time_t t;

	if (size < sizeof(*e))
		return 0;
	time(&t);
	tm = localtime(&t);
	strftime(ts, sizeof(ts), "%H:%M:%S", tm);

	name = proto_name(e->ip_proto);
	if (name)
		snprintf(proto, sizeof(proto), "%s", name);
	else
		snprintf(proto, sizeof(proto), "%u", e->ip_proto);
	ports = (e->ip_proto == 6 || e->ip_proto == 17) && !e->fragment;
	format_endpoint(src, sizeof(src), e->src_addr, e->src_port, ports);
	format_endpoint(dst, sizeof(dst), e->dst_addr, e->dst_port, ports);

	printf("%-8s %-3s %-5s %-21s -> %-21s %5u %3u%s\n", ts,
	       e->pkt_type == PACKET_OUTGOING ? "out" : "in", proto, src, dst, e->ip_len, e->ttl,
	       e->fragment ? " frag" : "");
	state->seen++;
	/* A negative return stops bpf_buffer__poll: that is how -c ends the run. */
	return state->limit && state->seen >= state->limit ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct options opts = { .ifname = "lo" };
	struct bpf_buffer *buf = NULL;
	struct sockfilter_bpf *skel;
	struct state state = { 0 };
	int err;

	err = parse_options(argc, argv, &opts);
	if (err) {
		usage(err > 0 ? stdout : stderr, argv[0]);
		return err > 0 ? 0 : 1;
	}
	if (opts.verbose)
		libbpf_set_print(print_all);
	state.limit = opts.count;

	skel = sockfilter_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	/* Filters are constants in .rodata: the verifier prunes the branches they disable. */
	skel->rodata->proto_filter = (unsigned char)opts.proto;
	skel->rodata->port_filter = (unsigned short)opts.port;

	buf = bpf_buffer__new(skel->maps.rb, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}

	err = sockfilter_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton: %s\n", strerror(-err));
		goto cleanup;
	}

	/* For a socket program the target is the interface the host's packet socket binds to. */
	err = bpf_program__set_attach_target(skel->progs.socket_handler, 0, opts.ifname);
	if (!err)
		err = sockfilter_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach the socket filter to %s: %s\n", opts.ifname,
			strerror(-err));
		goto cleanup;
	}

	printf("Capturing IPv4 packets on %s, Ctrl-C to stop.\n", opts.ifname);
	printf("%-8s %-3s %-5s %-21s    %-21s %5s %3s\n", "TIME", "DIR", "PROTO", "SOURCE",
	       "DESTINATION", "LEN", "TTL");

	err = bpf_buffer__open(buf, handle_event, &state);
	if (err) {
		fprintf(stderr, "Failed to open ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}

	/* The runtime ends the module at a host call on Ctrl-C, releasing every kernel object. */
	while (!state.limit || state.seen < state.limit) {
		err = bpf_buffer__poll(buf, 100);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0 && !(state.limit && state.seen >= state.limit)) {
			fprintf(stderr, "Error polling ring buffer: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}

cleanup:
	bpf_buffer__free(buf);
	sockfilter_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
