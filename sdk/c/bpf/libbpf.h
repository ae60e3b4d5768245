/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Skeleton headers (ours and `bpftool gen skeleton`'s) say #include <bpf/libbpf.h>. With -I sdk/c
 * on the guest's command line that include lands here, on the wasm SDK instead of libbpf.
 */
#include "../libbpf-wasm.h"
