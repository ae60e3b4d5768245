// SPDX-License-Identifier: Apache-2.0
/*
 * maplookup_guest — wasm32-wasi guest: ns per wasm_bpf_map_operate(LOOKUP) host call on
 * maplookup.bpf.o's hash map (embedded as maplookup_bpf_o[] by the Makefile, byte-identical to the
 * file maplookup_native loads). Arguments and output as maplookup_native:
 *
 *   maplookup_guest N ROUNDS  -> one "round R ns_per_lookup X" line per round
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wasm-bpf.h"
#include "maplookup.bpf.o.h"

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "Usage: %s N ROUNDS\n", argv[0]);
		return 2;
	}
	long n = atol(argv[1]), rounds = atol(argv[2]);
	uint64_t obj = wasm_load_bpf_object(maplookup_bpf_o, (int)maplookup_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "Failed to load the BPF object\n");
		return 1;
	}
	int fd = wasm_bpf_map_fd_by_name(obj, "values");
	uint32_t key = 1;
	uint64_t value = 42, out = 0;
	if (fd < 0 || wasm_bpf_map_operate(fd, WASM_BPF_MAP_UPDATE_ELEM, &key, &value, NULL, 0)) {
		fprintf(stderr, "Failed to prepare the map (fd %d)\n", fd);
		return 1;
	}
	for (long r = 0; r < rounds; r++) {
		long long start = now_ns();
		for (long i = 0; i < n; i++) {
			if (wasm_bpf_map_operate(fd, WASM_BPF_MAP_LOOKUP_ELEM, &key, &out, NULL, 0) || out != 42) {
				fprintf(stderr, "lookup failed\n");
				return 1;
			}
		}
		printf("round %ld ns_per_lookup %.1f\n", r, (double)(now_ns() - start) / n);
	}
	wasm_close_bpf_object(obj);
	return 0;
}
