// SPDX-License-Identifier: Apache-2.0
/*
 * Map operations through the raw ABI, each step printing `OK <step>` or
 * `FAIL <step> ret=<r> <detail>`. Errors are the host's raw Linux values (-17, -2).
 * Args: <ncpus> (possible CPUs, sizes the per-CPU value buffer). Exit 0 without FAIL, else 1.
 *
 * Steps: update_any, update_noexist, lookup, update_more, iterate (also prints KEYS),
 * delete, lookup_deleted, delete_again, roundtrip (after READY; needs one exec), percpu (also
 * prints PERCPU_SUM).
 */
#include "guest.h"

static int failures;

static void check(int ok, const char *step, int ret, const char *detail)
{
	if (ok) {
		printf("OK %s\n", step);
	} else {
		printf("FAIL %s ret=%d %s\n", step, ret, detail);
		failures++;
	}
}

static int update(int fd, uint32_t key, uint64_t value, uint64_t flags)
{
	return wasm_bpf_map_operate(fd, WASM_BPF_MAP_UPDATE_ELEM, &key, &value, NULL, flags);
}

static int lookup(int fd, uint32_t key, uint64_t *value)
{
	return wasm_bpf_map_operate(fd, WASM_BPF_MAP_LOOKUP_ELEM, &key, value, NULL, 0);
}

static int delete(int fd, uint32_t key)
{
	return wasm_bpf_map_operate(fd, WASM_BPF_MAP_DELETE_ELEM, &key, NULL, NULL, 0);
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void iterate_keys(int fd)
{
	uint32_t keys[32], next;
	char detail[64];
	int n = 0, ret, i;

	/* A NULL key pointer (0) starts the iteration; -ENOENT ends it. */
	ret = wasm_bpf_map_operate(fd, WASM_BPF_MAP_GET_NEXT_KEY, NULL, NULL, &next, 0);
	while (ret == 0 && n < 32) {
		keys[n++] = next;
		ret = wasm_bpf_map_operate(fd, WASM_BPF_MAP_GET_NEXT_KEY, &keys[n - 1], NULL, &next, 0);
	}
	qsort(keys, n, sizeof(keys[0]), compare_u32);
	printf("KEYS");
	for (i = 0; i < n; i++)
		printf(" %u", keys[i]);
	printf("\n");
	snprintf(detail, sizeof(detail), "count=%d", n);
	check(ret == -WASM_BPF_LINUX_ENOENT && n == 3 && keys[0] == 1 && keys[1] == 5 && keys[2] == 6,
	      "iterate", ret, detail);
}

static void wait_roundtrip(int fd)
{
	int64_t deadline = monotonic_ms() + 10000;
	uint64_t value = 0;
	int ret = -1;
	char detail[64];

	while (monotonic_ms() < deadline) {
		ret = lookup(fd, 2, &value);
		if (ret == 0 && value == 42)
			break;
		sleep_ms(50);
	}
	snprintf(detail, sizeof(detail), "kv[2]=%llu", (unsigned long long)value);
	check(ret == 0 && value == 42, "roundtrip", ret, detail);
}

static void sum_percpu(int fd, int ncpus)
{
	/* Per-CPU values come as round_up(value_size, 8) = 8 bytes per possible CPU. */
	uint64_t *values = calloc((size_t)ncpus, sizeof(uint64_t));
	uint64_t sum = 0;
	uint32_t key = 0;
	int ret, i;

	ret = wasm_bpf_map_operate(fd, WASM_BPF_MAP_LOOKUP_ELEM, &key, values, NULL, 0);
	for (i = 0; ret == 0 && i < ncpus; i++)
		sum += values[i];
	printf("PERCPU_SUM %llu\n", (unsigned long long)sum);
	check(ret == 0 && sum >= 1, "percpu", ret, "sum of pc[0] over CPUs");
	free(values);
}

int main(int argc, char **argv)
{
	uint64_t handle, value = 0;
	int kv, pc, ret, ncpus;

	ncpus = argc > 1 ? atoi(argv[1]) : 0;
	if (ncpus <= 0) {
		printf("FAIL args ret=0 usage: %s <ncpus>\n", argv[0]);
		return 1;
	}
	handle = load_embedded_object();
	kv = map_fd_or_exit(handle, "kv");
	pc = map_fd_or_exit(handle, "pc");

	ret = update(kv, 1, 41, BPF_ANY);
	check(ret == 0, "update_any", ret, "kv[1]=41");
	ret = update(kv, 1, 41, BPF_NOEXIST);
	check(ret == -WASM_BPF_LINUX_EEXIST, "update_noexist", ret, "expected -17");
	ret = lookup(kv, 1, &value);
	check(ret == 0 && value == 41, "lookup", ret, "expected kv[1]==41");
	ret = update(kv, 5, 5, BPF_ANY);
	if (ret == 0)
		ret = update(kv, 6, 6, BPF_ANY);
	check(ret == 0, "update_more", ret, "kv[5]=5 kv[6]=6");
	iterate_keys(kv);
	ret = delete(kv, 6);
	check(ret == 0, "delete", ret, "kv[6]");
	ret = lookup(kv, 6, &value);
	check(ret == -WASM_BPF_LINUX_ENOENT, "lookup_deleted", ret, "expected -2");
	ret = delete(kv, 6);
	check(ret == -WASM_BPF_LINUX_ENOENT, "delete_again", ret, "expected -2");

	attach_or_exit(handle, "handle_exec");
	print_ready();
	wait_roundtrip(kv);
	sum_percpu(pc, ncpus);
	return failures ? 1 : 0;
}
