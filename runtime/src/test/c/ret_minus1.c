// SPDX-License-Identifier: Apache-2.0
/* main returns -1 with a program attached: wasi-libc turns it into proc_exit(-1) (status 255). */
#include "guest.h"

int main(void)
{
	uint64_t handle = load_embedded_object();

	attach_or_exit(handle, "handle_exec");
	print_ready();
	return -1;
}
