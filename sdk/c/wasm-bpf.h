/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasm-bpf.h — the raw host ABI a wasm32-wasi guest uses to load and drive eBPF programs.
 *
 * These are the six functions of import module "wasm_bpf" exactly as
 * shared/spec/wasm-bpf-abi.md lists them. Every pointer is an offset into this module's exported
 * `memory`; strings are NUL-terminated. Return values are the HOST's conventions: 0 or a count on
 * success and a negative *Linux* errno on failure (ENOENT is 2 here, although wasi-libc's
 * <errno.h> says 44). Code that wants `err == -ENOENT` / strerror() should use libbpf-wasm.h,
 * which translates; code that talks to the raw imports compares against the WASM_BPF_LINUX_E*
 * values below.
 *
 * Header-only, no state: include it from as many translation units as you like.
 */
#ifndef WASM_BPF_H
#define WASM_BPF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASM_BPF_IMPORT(fn) __attribute__((import_module("wasm_bpf"), import_name(fn)))

/*
 * Copy [obj_buf, obj_buf + obj_buf_sz) out of guest memory, open it with libbpf (CO-RE against
 * the running kernel) and load it: maps created, .rodata initialised from these very bytes (so a
 * guest may patch the ELF's .rodata section before calling this), programs verified.
 * Returns a handle (1, 2, 3 … never reused) or 0 when anything failed; the host logs why.
 */
WASM_BPF_IMPORT("wasm_load_bpf_object")
uint64_t wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz);

/*
 * Attach the program whose C function name is `name`. `attach_target` NULL or "" means
 * section-driven auto-attach (tp/, raw_tp/, fentry/ …). Otherwise, by section: a cgroup v2
 * directory (cgroup/..., sockops), an interface name (xdp, tc, socket) or "path:function" (uprobe).
 * Links belong to the object and go away with wasm_close_bpf_object. Returns 0 or -errno.
 */
WASM_BPF_IMPORT("wasm_attach_bpf_program")
int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *attach_target);

/*
 * The fd of map `name` of object `obj`: a user map by its variable name, an internal map by
 * libbpf's name or by section name (".rodata", ".data", ".bss").
 * Returns the fd, -EINVAL (bad handle), -EFAULT (bad string) or -ENOENT (no such map).
 */
WASM_BPF_IMPORT("wasm_bpf_map_fd_by_name")
int wasm_bpf_map_fd_by_name(uint64_t obj, const char *name);

/*
 * One map operation (WASM_BPF_MAP_*). Key and value sizes come from the map itself; a per-CPU
 * map's value buffer is round_up(value_size, 8) * possible_cpus bytes. For
 * WASM_BPF_MAP_GET_NEXT_KEY a NULL `key` starts from the first key. `flags` is BPF_ANY,
 * BPF_NOEXIST, BPF_EXIST or BPF_F_LOCK for updates, 0 otherwise.
 * Returns 0 or -errno (-ENOENT for a missing key and at the end of an iteration, -EBADF for an
 * fd that is not a map of one of this module's objects).
 */
WASM_BPF_IMPORT("wasm_bpf_map_operate")
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key, uint64_t flags);

/*
 * Wait up to `timeout_ms` (negative: forever) for samples of the ring buffer or perf event array
 * `fd` (the host decides by map type). Every sample is copied into [data, data + max_size),
 * truncated if longer, and then the guest function whose table index is `sample_func` is called
 * as `int fn(void *ctx, void *data, size_t size)` — obtain the index with
 * WASM_BPF_TABLE_INDEX(fn). A negative callback result stops this poll and is returned.
 * Returns the number of samples delivered or -errno (-EINTR when interrupted).
 */
WASM_BPF_IMPORT("wasm_bpf_buffer_poll")
int wasm_bpf_buffer_poll(uint64_t obj, int fd, int32_t sample_func, uint32_t ctx, char *data,
                         int max_size, int timeout_ms);

/* Detach everything the object attached, close its maps and programs. 0, or -EINVAL. */
WASM_BPF_IMPORT("wasm_close_bpf_object")
int wasm_close_bpf_object(uint64_t obj);

/* Commands of wasm_bpf_map_operate. */
#define WASM_BPF_MAP_LOOKUP_ELEM   1
#define WASM_BPF_MAP_UPDATE_ELEM   2
#define WASM_BPF_MAP_DELETE_ELEM   3
#define WASM_BPF_MAP_GET_NEXT_KEY  4

/* Update flags, as in <linux/bpf.h>. */
#ifndef BPF_ANY
#define BPF_ANY     0
#define BPF_NOEXIST 1
#define BPF_EXIST   2
#define BPF_F_LOCK  4
#endif

/*
 * The callback type of wasm_bpf_buffer_poll. On wasm32 size_t is 32 bits, so this is the
 * (i32 ctx, i32 data, i32 size) -> i32 function the host calls through the table.
 */
typedef int (*wasm_bpf_sample_fn)(void *ctx, void *data, size_t size);

/*
 * On wasm32 a function pointer *is* its index in the exported __indirect_function_table (link
 * with -Wl,--export-table), which is what the host expects in `sample_func`.
 */
#define WASM_BPF_TABLE_INDEX(fn) ((int32_t)(uintptr_t)(fn))

/* The Linux errno values the host returns that guests commonly test for (raw, untranslated). */
#define WASM_BPF_LINUX_EPERM   1
#define WASM_BPF_LINUX_ENOENT  2
#define WASM_BPF_LINUX_EINTR   4
#define WASM_BPF_LINUX_EBADF   9
#define WASM_BPF_LINUX_EAGAIN  11
#define WASM_BPF_LINUX_ENOMEM  12
#define WASM_BPF_LINUX_EACCES  13
#define WASM_BPF_LINUX_EFAULT  14
#define WASM_BPF_LINUX_EEXIST  17
#define WASM_BPF_LINUX_EINVAL  22
#define WASM_BPF_LINUX_E2BIG   7
#define WASM_BPF_LINUX_ENOSPC  28
#define WASM_BPF_LINUX_EOPNOTSUPP 95

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_H */
