// SPDX-License-Identifier: Apache-2.0
/*
 * maplookup_native — ns per bpf_map_lookup_elem() from native code on maplookup.bpf.o's hash map,
 * the baseline for the guest's wasm_bpf_map_operate lookups (maplookup_guest.c does the same
 * rounds through the wasm ABI):
 *
 *   maplookup_native MAPLOOKUP.bpf.o N ROUNDS  -> one "round R ns_per_lookup X" line per round
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "Usage: %s MAPLOOKUP.bpf.o N ROUNDS\n", argv[0]);
		return 2;
	}
	long n = atol(argv[2]), rounds = atol(argv[3]);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "Failed to open/load %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	int fd = bpf_object__find_map_fd_by_name(obj, "values");
	__u32 key = 1;
	__u64 value = 42, out = 0;
	if (fd < 0 || bpf_map_update_elem(fd, &key, &value, BPF_ANY)) {
		fprintf(stderr, "Failed to prepare the map: %s\n", strerror(errno));
		return 1;
	}
	for (long r = 0; r < rounds; r++) {
		long long start = now_ns();
		for (long i = 0; i < n; i++) {
			if (bpf_map_lookup_elem(fd, &key, &out) || out != 42) {
				fprintf(stderr, "lookup failed\n");
				return 1;
			}
		}
		printf("round %ld ns_per_lookup %.1f\n", r, (double)(now_ns() - start) / n);
	}
	bpf_object__close(obj);
	return 0;
}
