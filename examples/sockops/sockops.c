// SPDX-License-Identifier: Apache-2.0
/*
 * sockops — the wasm32-wasi side: attach sockops.bpf.c's program to a cgroup v2 directory and print
 * one line per TCP connect and per connection established by a socket of that cgroup.
 *
 * Written as upstream wasm-bpf's examples are: skeleton open/load, bpf_set_prog_attach_target()
 * before X__attach(), bpf_buffer__open(skel->maps.rb, cb, ctx) -> struct bpf_buffer *, and
 * bpf_buffer__poll(rb, timeout_ms). It builds with C's type errors on (../common.mk).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockops.skel.h"
#include "sockops.h"

_Static_assert(sizeof(struct event) == 72, "struct event must be 72 bytes on wasm32 too");

#define MOUNTINFO "/proc/self/mountinfo"

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-h] [CGROUP]\n"
		"Report the TCP connects and established connections of a cgroup v2's sockets.\n"
		"\n"
		"  CGROUP  a cgroup v2 directory (the runtime only allows paths under --allow-attach,\n"
		"          default /sys/fs/cgroup). Without it, the cgroup2 mount point read from\n"
		"          " MOUNTINFO " (run with --dir /proc/self::/proc/self): every socket\n"
		"  -h      show this help\n",
		prog);
}

/*
 * The mount point of the cgroup2 hierarchy, from mountinfo's lines
 * "<id> <parent> <dev> <root> <mount point> <options> [optional...] - <fstype> <source> <super>".
 * Returns 0, -ENOENT when no cgroup2 is mounted, or -errno when the file can't be read.
 */
static int find_cgroup2(char *out, size_t size)
{
	char line[4096], mnt[4096];
	FILE *f = fopen(MOUNTINFO, "r");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		/* mountinfo escapes a space in a path as \040. */
		for (char *p = strstr(mnt, "\\040"); p; p = strstr(p + 1, "\\040")) {
			*p = ' ';
			memmove(p + 1, p + 4, strlen(p + 4) + 1);
		}
		if (strlen(mnt) >= size) {
			err = -ENAMETOOLONG;
			break;
		}
		strcpy(out, mnt);
		err = 0;
		break;
	}
	fclose(f);
	return err;
}

static const char *op_name(unsigned int op)
{
	switch (op) {
	case SOCKOPS_TCP_CONNECT: return "CONNECT";
	case SOCKOPS_ACTIVE_ESTABLISHED: return "ACTIVE";
	case SOCKOPS_PASSIVE_ESTABLISHED: return "PASSIVE";
	default: return "?";
	}
}

/*
 * IPv4 dotted, an IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer) as
 * ::ffff:a.b.c.d, other IPv6 as eight hex groups (no :: compression: wasi-libc has no inet_ntop).
 */
static void format_ip(char *buf, size_t size, unsigned int family, const unsigned char *ip)
{
	static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (family == 2) {
		snprintf(buf, size, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
		return;
	}
	if (memcmp(ip, v4mapped, sizeof(v4mapped)) == 0) {
		snprintf(buf, size, "::ffff:%u.%u.%u.%u", ip[12], ip[13], ip[14], ip[15]);
		return;
	}
	snprintf(buf, size, "%x:%x:%x:%x:%x:%x:%x:%x", ip[0] << 8 | ip[1], ip[2] << 8 | ip[3],
		 ip[4] << 8 | ip[5], ip[6] << 8 | ip[7], ip[8] << 8 | ip[9], ip[10] << 8 | ip[11],
		 ip[12] << 8 | ip[13], ip[14] << 8 | ip[15]);
}

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	const struct event *e = data;
	char ts[16], local[48], remote[48];
	struct tm *tm;
	time_t t;

	(void)ctx;
	if (data_sz < sizeof(*e))
		return 0;
	time(&t);
	tm = localtime(&t);
	strftime(ts, sizeof(ts), "%H:%M:%S", tm);
	format_ip(local, sizeof(local), e->family, e->local_ip);
	format_ip(remote, sizeof(remote), e->family, e->remote_ip);
	printf("%-8s %-8s %-7u %-16s %-21s %-6u %-21s %-6u %llu\n", ts, op_name(e->op), e->pid,
	       e->comm[0] ? e->comm : "-", local, e->local_port, remote, e->remote_port, e->cookie);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static char cgroup[4096];
	struct bpf_buffer *rb = NULL;
	struct sockops_bpf *skel;
	int err;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		bool help = argc == 2 && strcmp(argv[1], "-h") == 0;

		usage(help ? stdout : stderr, argv[0]);
		return help ? 0 : 1;
	}
	if (argc == 2) {
		snprintf(cgroup, sizeof(cgroup), "%s", argv[1]);
	} else {
		err = find_cgroup2(cgroup, sizeof(cgroup));
		if (err) {
			fprintf(stderr, "No CGROUP given and no cgroup2 mount found in " MOUNTINFO ": %s\n"
				"(give the cgroup directory, or run with --dir /proc/self::/proc/self)\n",
				strerror(-err));
			return 1;
		}
	}

	skel = sockops_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	/* Upstream's setter: the cgroup directory the sockops program is attached to by X__attach. */
	bpf_set_prog_attach_target(skel->progs.sockops_events, cgroup);
	err = sockops_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach to cgroup %s: %s\n", cgroup, strerror(-err));
		goto cleanup;
	}
	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "Failed to open the ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	printf("Tracing TCP connections of cgroup %s, Ctrl-C to stop.\n", cgroup);
	printf("%-8s %-8s %-7s %-16s %-21s %-6s %-21s %-6s %s\n", "TIME", "OP", "PID", "COMM", "LADDR",
	       "LPORT", "RADDR", "RPORT", "COOKIE");
	fflush(stdout);
	/* The runtime ends the module at a host call (the poll is one) on Ctrl-C, detaching it. */
	while (1) {
		err = bpf_buffer__poll(rb, 100 /* timeout, ms */);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "Error polling the ring buffer: %s\n", strerror(-err));
			break;
		}
	}

cleanup:
	bpf_buffer__free(rb);
	sockops_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
