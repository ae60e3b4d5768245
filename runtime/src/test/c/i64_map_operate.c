// SPDX-License-Identifier: Apache-2.0
/*
 * wasm_bpf_map_operate imported with i64 pointer parameters, as the Go and Rust SDKs declare it:
 * (i32 fd, i32 cmd, i64 key, i64 value, i64 next_key, i64 flags) -> i32. Prints `VALUE 7`.
 */
#include "guest.h"

__attribute__((import_module("wasm_bpf"), import_name("wasm_bpf_map_operate")))
int map_operate_i64(int fd, int cmd, uint64_t key, uint64_t value, uint64_t next_key, uint64_t flags);

#define ADDR(p) ((uint64_t)(uintptr_t)(p))

int main(void)
{
	uint64_t handle = load_embedded_object();
	int kv = map_fd_or_exit(handle, "kv");
	uint32_t key = 1;
	uint64_t value = 7, read_back = 0;
	int ret;

	ret = map_operate_i64(kv, WASM_BPF_MAP_UPDATE_ELEM, ADDR(&key), ADDR(&value), 0, BPF_ANY);
	if (ret < 0) {
		printf("UPDATE_FAILED ret=%d\n", ret);
		return 1;
	}
	ret = map_operate_i64(kv, WASM_BPF_MAP_LOOKUP_ELEM, ADDR(&key), ADDR(&read_back), 0, 0);
	if (ret < 0) {
		printf("LOOKUP_FAILED ret=%d\n", ret);
		return 1;
	}
	printf("VALUE %llu\n", (unsigned long long)read_back);
	return 0;
}
