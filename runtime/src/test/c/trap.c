// SPDX-License-Identifier: Apache-2.0
/* Trap with a program attached: the runtime must still release the kernel objects. */
#include "guest.h"

int main(void)
{
	uint64_t handle = load_embedded_object();

	attach_or_exit(handle, "handle_exec");
	print_ready();
	__builtin_trap();
}
