// SPDX-License-Identifier: Apache-2.0
/*
 * compatapi — a guest written only against upstream wasm-bpf's C API (skeleton + rodata,
 * bpf_buffer__open(map, cb, ctx) -> struct bpf_buffer *, bpf_buffer__poll, bpf_map__fd,
 * bpf_map_update/lookup/delete_elem, bpf_map_get_next_key, bpf_set_prog_attach_target), built with
 * -Werror=incompatible-pointer-types -Werror=int-conversion -Werror=implicit-function-declaration.
 * CompatApiTest runs one behaviour per invocation:
 *
 *   compatapi perf TAG           open a perf event array buffer, wait for /sync/go, then poll:
 *                                 the exec samples made in between must arrive ("SAMPLE pid comm tag")
 *   compatapi iterate K=V...     fill the hash map, delete the first key, print every remaining
 *                                 entry found by get_next_key + lookup ("ENTRY k v"), then "END n"
 *   compatapi xdp IFNAME PORT    attach XDP to IFNAME; after /sync/go, print UDP datagrams to PORT seen
 *   compatapi cgroup DIR PORT    attach cgroup_skb/egress to DIR; after "go", the same
 *   compatapi errors IFNAME DIR   the error returns upstream's callers check (NULL / negative)
 *
 * The two-step commands print "READY" when attached/opened and wait for the file /sync/go, so the
 * test makes its traffic or execs in between.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compatapi.skel.h"
#include "compatapi.h"

_Static_assert(sizeof(struct exec_sample) == 24, "struct exec_sample must be 24 bytes on wasm32 too");

#define XDP_COUNT 0
#define CGROUP_COUNT 1

static int handle_sample(void *ctx, void *data, size_t size)
{
	const struct exec_sample *s = data;
	int *seen = ctx;

	if (size < sizeof(*s))
		return 0;
	printf("SAMPLE %u %s %u\n", s->pid, s->comm, s->tag);
	fflush(stdout);
	(*seen)++;
	return 0;
}

/*
 * The handshake: the test does its part after READY, then creates the file "go" in the directory it
 * preopened as /sync (a file rather than stdin: the runtime's WASI reads stdin without returning a
 * partial line). Bounded, so a failing test still ends.
 */
static void ready_then_wait(void)
{
	FILE *go = NULL;

	printf("READY\n");
	fflush(stdout);
	for (int i = 0; i < 3000 && !(go = fopen("/sync/go", "r")); i++)
		usleep(10000);
	if (go)
		fclose(go);
	else
		fprintf(stderr, "no /sync/go after 30 s\n");
}

static int cmd_perf(struct compatapi_bpf *skel)
{
	struct bpf_buffer *pb;
	int err, seen = 0;

	err = compatapi_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "attach: %d\n", err);
		return 1;
	}
	pb = bpf_buffer__open(skel->maps.samples, handle_sample, &seen);
	if (!pb) {
		fprintf(stderr, "bpf_buffer__open(samples): %s\n", strerror(errno));
		return 1;
	}
	ready_then_wait();
	/* One poll delivers what waited; a second catches samples still on the way. */
	for (int i = 0; i < 2; i++) {
		err = bpf_buffer__poll(pb, 100);
		if (err < 0) {
			fprintf(stderr, "bpf_buffer__poll: %d\n", err);
			break;
		}
	}
	printf("POLLED %d\n", seen);
	bpf_buffer__free(pb);
	return err < 0 ? 1 : 0;
}

static int cmd_iterate(struct compatapi_bpf *skel, int argc, char **argv)
{
	int fd = bpf_map__fd(skel->maps.kv), err, n = 0;
	unsigned int key, next, first = 0;
	unsigned long long value;
	unsigned int *prev = NULL;

	for (int i = 0; i < argc; i++) {
		if (sscanf(argv[i], "%u=%llu", &key, &value) != 2) {
			fprintf(stderr, "not KEY=VALUE: %s\n", argv[i]);
			return 1;
		}
		if (i == 0)
			first = key;
		err = bpf_map_update_elem(fd, &key, &value, BPF_ANY);
		if (err) {
			fprintf(stderr, "bpf_map_update_elem(%u): %d\n", key, err);
			return 1;
		}
	}
	err = bpf_map_delete_elem(fd, &first);
	if (err) {
		fprintf(stderr, "bpf_map_delete_elem(%u): %d\n", first, err);
		return 1;
	}
	/* Upstream's loop: a NULL key starts, -ENOENT ends. */
	while ((err = bpf_map_get_next_key(fd, prev, &next)) == 0) {
		err = bpf_map_lookup_elem(fd, &next, &value);
		if (err) {
			fprintf(stderr, "bpf_map_lookup_elem(%u): %d\n", next, err);
			return 1;
		}
		printf("ENTRY %u %llu\n", next, value);
		key = next;
		prev = &key;
		n++;
	}
	if (err != -ENOENT) {
		fprintf(stderr, "bpf_map_get_next_key: %d\n", err);
		return 1;
	}
	printf("END %d\n", n);
	return 0;
}

static int cmd_count(struct compatapi_bpf *skel, struct bpf_program *prog, const char *target,
		     unsigned int which)
{
	unsigned long long count;
	int err;

	/* Upstream's setter, then the skeleton attaches the programs that have a target. */
	bpf_set_prog_attach_target(prog, (char *)target);
	err = compatapi_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "attach to %s: %s\n", target, strerror(-err));
		return 1;
	}
	ready_then_wait();
	err = bpf_map_lookup_elem(bpf_map__fd(skel->maps.counts), &which, &count);
	if (err) {
		fprintf(stderr, "bpf_map_lookup_elem(counts): %d\n", err);
		return 1;
	}
	printf("COUNT %llu\n", count);
	return 0;
}

static int ignore_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* Each line: what was called, then the result as upstream's caller would test it. */
static int cmd_errors(struct compatapi_bpf *skel, const char *ifname, const char *cgroup)
{
	unsigned int missing = 12345, next;
	unsigned long long value;
	struct bpf_buffer *buf;
	int err;

	buf = bpf_buffer__open(skel->maps.kv, ignore_sample, NULL);
	printf("bpf_buffer__open(hash map): %s\n", buf ? "not NULL" : "NULL");
	bpf_buffer__free(buf);

	err = bpf_map_lookup_elem(bpf_map__fd(skel->maps.kv), &missing, &value);
	printf("bpf_map_lookup_elem(missing key): %s\n", err == -ENOENT ? "-ENOENT" : err < 0 ? "negative" : "0");
	err = bpf_map_delete_elem(bpf_map__fd(skel->maps.kv), &missing);
	printf("bpf_map_delete_elem(missing key): %s\n", err == -ENOENT ? "-ENOENT" : err < 0 ? "negative" : "0");
	err = bpf_map_get_next_key(bpf_map__fd(skel->maps.kv), NULL, &next);
	printf("bpf_map_get_next_key(empty map): %s\n", err == -ENOENT ? "-ENOENT" : err < 0 ? "negative" : "0");

	/* Attach targets that do not exist: the skeleton's attach fails with a negative errno. */
	bpf_set_prog_attach_target(skel->progs.xdp_count, (char *)ifname);
	err = compatapi_bpf__attach(skel);
	printf("attach xdp to %s: %s (%s)\n", ifname, err < 0 ? "negative" : "not negative", strerror(-err));
	bpf_set_prog_attach_target(skel->progs.xdp_count, NULL);
	bpf_set_prog_attach_target(skel->progs.cgroup_count, (char *)cgroup);
	err = compatapi_bpf__attach(skel);
	printf("attach cgroup_skb to %s: %s (%s)\n", cgroup, err < 0 ? "negative" : "not negative",
	       strerror(-err));
	return 0;
}

static unsigned short parse_port(const char *arg)
{
	long port = strtol(arg, NULL, 10);

	return port > 0 && port < 65536 ? (unsigned short)port : 0;
}

int main(int argc, char **argv)
{
	struct compatapi_bpf *skel;
	const char *cmd = argc > 1 ? argv[1] : "";
	int err;

	skel = compatapi_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton\n");
		return 1;
	}
	if (strcmp(cmd, "perf") == 0 && argc == 3)
		skel->rodata->tag = (unsigned int)strtoul(argv[2], NULL, 10);
	if ((strcmp(cmd, "xdp") == 0 || strcmp(cmd, "cgroup") == 0) && argc == 4)
		skel->rodata->target_port = parse_port(argv[3]);
	err = compatapi_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load BPF skeleton: %d\n", err);
		compatapi_bpf__destroy(skel);
		return 1;
	}

	if (strcmp(cmd, "perf") == 0 && argc == 3)
		err = cmd_perf(skel);
	else if (strcmp(cmd, "iterate") == 0)
		err = cmd_iterate(skel, argc - 2, argv + 2);
	else if (strcmp(cmd, "xdp") == 0 && argc == 4)
		err = cmd_count(skel, skel->progs.xdp_count, argv[2], XDP_COUNT);
	else if (strcmp(cmd, "cgroup") == 0 && argc == 4)
		err = cmd_count(skel, skel->progs.cgroup_count, argv[2], CGROUP_COUNT);
	else if (strcmp(cmd, "errors") == 0 && argc == 4)
		err = cmd_errors(skel, argv[2], argv[3]);
	else {
		fprintf(stderr, "Usage: %s perf TAG | iterate K=V... | xdp IFNAME PORT | cgroup DIR PORT | errors IFNAME DIR\n",
			argv[0]);
		err = 2;
	}
	compatapi_bpf__destroy(skel);
	return err;
}
