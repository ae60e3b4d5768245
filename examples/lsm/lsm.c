// SPDX-License-Identifier: Apache-2.0
/*
 * lsm — the wasm32-wasi side of wasm-bpf's lsm example: load lsm.bpf.o, attach its
 * lsm/path_rmdir program (every rmdir of a directory called can_not_rm then fails with EPERM)
 * and print each denial. On a kernel without BPF LSM it says so in one line and exits with 1.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "lsm.h"
#include "lsm.skel.h"

_Static_assert(offsetof(struct event, comm) == 8, "comm offset");
_Static_assert(sizeof(struct event) == 8 + TASK_COMM_LEN + NAME_LEN, "struct event size");

/* Exit status when the kernel cannot run the program (not a usage or runtime error). */
#define EXIT_UNSUPPORTED 1

static const char *prog_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? slash + 1 : argv0;
}

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-h] [-v]\n"
		"Deny rmdir of every directory named \"%s\" (EPERM) with a BPF LSM program, and\n"
		"print who tried. Needs a kernel with BPF LSM (CONFIG_BPF_LSM=y and \"bpf\" in\n"
		"/sys/kernel/security/lsm).\n"
		"\n"
		"  -v          verbose: show the SDK's messages\n"
		"  -h          show this help\n",
		prog, PROTECTED_NAME);
}

static int print_all(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	return vfprintf(stderr, format, args);
}

/* 1 when "bpf" is in the active LSM list, 0 when it is not, -1 when the list is not readable. */
static int bpf_lsm_active(void)
{
	char list[512], *token, *rest;
	FILE *f = fopen("/sys/kernel/security/lsm", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(list, 1, sizeof(list) - 1, f);
	fclose(f);
	list[n] = '\0';
	list[strcspn(list, "\n")] = '\0';
	for (token = strtok_r(list, ",", &rest); token; token = strtok_r(NULL, ",", &rest))
		if (strcmp(token, "bpf") == 0)
			return 1;
	return 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct event e;
	char ts[32];
	time_t t;

	(void)ctx;
	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[TASK_COMM_LEN - 1] = '\0';
	e.name[NAME_LEN - 1] = '\0';
	t = time(NULL);
	strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
	printf("%-8s denied rmdir of %s by pid %d (%s, uid %u)\n", ts, e.name, e.pid, e.comm, e.uid);
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_buffer *buf = NULL;
	struct lsm_bpf *skel;
	bool verbose = false;
	int c, err;

	while ((c = getopt(argc, argv, "vh")) != -1) {
		switch (c) {
		case 'v': verbose = true; break;
		case 'h': usage(stdout, prog_name(argv[0])); return 0;
		default:
			fprintf(stderr, "Try '%s -h' for more information.\n", prog_name(argv[0]));
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Unexpected argument: %s\nTry '%s -h' for more information.\n",
			argv[optind], prog_name(argv[0]));
		return 1;
	}
	/*
	 * BPF LSM built in but not among the active LSMs loads and attaches fine and then never
	 * runs: when the list is readable (wasm-bpf --dir /sys/kernel/security), check it first.
	 */
	if (bpf_lsm_active() == 0) {
		fprintf(stderr, "lsm: BPF LSM is not active in this kernel: \"bpf\" is not in "
				"/sys/kernel/security/lsm (add it to the lsm= boot parameter)\n");
		return EXIT_UNSUPPORTED;
	}
	/* Quiet unless -v: a kernel without BPF LSM gets one line from us, not a cascade. */
	libbpf_set_print(verbose ? print_all : NULL);

	skel = lsm_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	buf = bpf_buffer__new(skel->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}

	/*
	 * The only reason a correct LSM object fails to load or attach is a kernel without BPF LSM
	 * (the program type, or the bpf_lsm_path_rmdir hook, is missing); the runtime's log above
	 * has libbpf's exact words.
	 */
	err = lsm_bpf__load(skel);
	if (!err)
		err = lsm_bpf__attach(skel);
	if (err) {
		if (bpf_object__wasm_handle(skel->obj))
			fprintf(stderr, "lsm: BPF LSM is not available in this kernel (needs "
					"CONFIG_BPF_LSM=y and \"bpf\" in /sys/kernel/security/lsm): "
					"attaching the program failed: %s\n", strerror(-err));
		else
			fprintf(stderr, "lsm: BPF LSM is not available in this kernel (needs "
					"CONFIG_BPF_LSM=y and \"bpf\" in /sys/kernel/security/lsm): "
					"the kernel refused to load the program\n");
		bpf_buffer__free(buf);
		lsm_bpf__destroy(skel);
		return EXIT_UNSUPPORTED;
	}

	printf("Denying rmdir of directories named \"%s\"; Ctrl-C to stop.\n", PROTECTED_NAME);

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
	lsm_bpf__destroy(skel);
	/* libbpf-tools: any failure is exit status 1. */
	return err != 0;
}
