// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile-guest fuzzing: a dispatcher with no will of its own. The JUnit test offers the host functions
 * of import module "fuzz"; the guest asks fuzz_next() for an operation, fuzz_arg(i) for its arguments,
 * calls the wasm_bpf or WASI import with them untouched, and hands the result back with fuzz_result().
 * Nothing here allocates or prints while fuzzing, so the end of linear memory stays unused heap.
 */
#include "guest.h"

#define FUZZ_IMPORT(fn) __attribute__((import_module("fuzz"), import_name(fn)))
FUZZ_IMPORT("setup") void fuzz_setup(uint32_t object, uint32_t object_len, uint32_t callback, uint32_t arena,
				 uint32_t arena_len);
FUZZ_IMPORT("next") int32_t fuzz_next(void);
FUZZ_IMPORT("arg") int64_t fuzz_arg(int32_t index);
FUZZ_IMPORT("result") void fuzz_result(int64_t value);

/* The WASI imports themselves, wasm types only: wasi-libc's wrappers would strlen() a wild path. */
#define WASI(fn) __attribute__((import_module("wasi_snapshot_preview1"), import_name(fn)))
typedef int32_t i32;
typedef int64_t i64;
WASI("fd_write") i32 raw_fd_write(i32, i32, i32, i32);
WASI("fd_read") i32 raw_fd_read(i32, i32, i32, i32);
WASI("fd_close") i32 raw_fd_close(i32);
WASI("fd_seek") i32 raw_fd_seek(i32, i64, i32, i32);
WASI("fd_fdstat_get") i32 raw_fd_fdstat_get(i32, i32);
WASI("path_open") i32 raw_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32);
WASI("random_get") i32 raw_random_get(i32, i32);
WASI("clock_time_get") i32 raw_clock_time_get(i32, i64, i32);
WASI("args_sizes_get") i32 raw_args_sizes_get(i32, i32);
WASI("args_get") i32 raw_args_get(i32, i32);
WASI("environ_get") i32 raw_environ_get(i32, i32);
WASI("poll_oneoff") i32 raw_poll_oneoff(i32, i32, i32, i32);
WASI("fd_prestat_get") i32 raw_fd_prestat_get(i32, i32);
WASI("fd_prestat_dir_name") i32 raw_fd_prestat_dir_name(i32, i32, i32);
WASI("sched_yield") i32 raw_sched_yield(void);
WASI("fd_filestat_get") i32 raw_fd_filestat_get(i32, i32);
WASI("path_filestat_get") i32 raw_path_filestat_get(i32, i32, i32, i32, i32);

/* A sample callback the fuzzer may name by table index (and so may the fuzzed wrong indices). */
static int on_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	return (int)size & 1 ? -1 : 0;
}

#define P(i) ((void *)(uintptr_t)(uint32_t)fuzz_arg(i))
#define I(i) ((int32_t)fuzz_arg(i))
#define U(i) ((uint32_t)fuzz_arg(i))
#define L(i) ((uint64_t)fuzz_arg(i))

static int64_t call(int32_t op)
{
	switch (op) {
	case 0: return (int64_t)wasm_load_bpf_object(P(0), I(1));
	case 1: return wasm_attach_bpf_program(L(0), P(1), P(2));
	case 2: return wasm_bpf_map_fd_by_name(L(0), P(1));
	case 3: return wasm_bpf_map_operate(I(0), I(1), P(2), P(3), P(4), L(5));
	case 4: return wasm_bpf_buffer_poll(L(0), I(1), I(2), U(3), P(4), I(5), I(6));
	case 5: return wasm_close_bpf_object(L(0));
	case 6: return raw_fd_write(I(0), I(1), I(2), I(3));
	case 7: return raw_fd_read(I(0), I(1), I(2), I(3));
	case 8: return raw_fd_close(I(0));
	case 9: return raw_fd_seek(I(0), (i64)L(1), I(2), I(3));
	case 10: return raw_fd_fdstat_get(I(0), I(1));
	case 11: return raw_path_open(I(0), I(1), I(2), I(3), I(4), (i64)L(5), (i64)L(6), I(7), I(8));
	case 12: return raw_random_get(I(0), I(1));
	case 13: return raw_clock_time_get(I(0), (i64)L(1), I(2));
	case 14: return raw_args_sizes_get(I(0), I(1));
	case 15: return raw_args_get(I(0), I(1));
	case 16: return raw_environ_get(I(0), I(1));
	case 17: return raw_poll_oneoff(I(0), I(1), I(2), I(3));
	case 18: return raw_fd_prestat_get(I(0), I(1));
	case 19: return raw_fd_prestat_dir_name(I(0), I(1), I(2));
	case 20: return raw_sched_yield();
	case 21: return raw_fd_filestat_get(I(0), I(1));
	case 22: return raw_path_filestat_get(I(0), I(1), I(2), I(3), I(4));
	default: return -1000;
	}
}

/* Where the fuzzer aims its pointers; it puts guards at both ends and checks them after every call. */
static char arena[1 << 18];

int main(void)
{
	int32_t op;

	/* A fresh last page that malloc never hands out: the host may write up to the end of memory. */
	__builtin_wasm_memory_grow(0, 1);
	fuzz_setup((uint32_t)(uintptr_t)bpf_object_bytes, (uint32_t)sizeof(bpf_object_bytes),
		   (uint32_t)WASM_BPF_TABLE_INDEX(on_sample), (uint32_t)(uintptr_t)arena, (uint32_t)sizeof(arena));
	while ((op = fuzz_next()) >= 0)
		fuzz_result(call(op));
	return 0;
}
