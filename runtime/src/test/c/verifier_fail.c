// SPDX-License-Identifier: Apache-2.0
/* Load an object the verifier rejects: prints `load=<handle>` (0 expected), exits 1 regardless. */
#include "guest.h"

int main(void)
{
	uint64_t handle = wasm_load_bpf_object(bpf_object_bytes, (int)sizeof(bpf_object_bytes));

	printf("load=%llu\n", (unsigned long long)handle);
	return 1;
}
