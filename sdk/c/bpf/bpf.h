/* SPDX-License-Identifier: Apache-2.0 */
/* <bpf/bpf.h> for wasm guests: the bpf_map_*_elem calls live in libbpf-wasm.h. */
#include "../libbpf-wasm.h"
