// SPDX-License-Identifier: Apache-2.0
/*
 * The C bootstrap's BPF side, unchanged, plus one global whose only job is to put struct event
 * into the object's BTF: clang emits BTF for the types of globals, maps and function signatures,
 * and the ring buffer's record is none of those (bpf_ringbuf_reserve returns void *). A pointer
 * costs 8 bytes of .bss, and `gen skeleton --lang rust` follows it to the struct, so the guest
 * gets `skel::types::event` with the BPF side's layout and a compile-time size check.
 */
#include "../bootstrap/bootstrap.bpf.c"

struct event *unused_event __attribute__((unused));
