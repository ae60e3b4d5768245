// SPDX-License-Identifier: Apache-2.0
/* proc_exit(3) with a program attached: exit status 3, kernel objects released. */
#include "guest.h"

int main(void)
{
	uint64_t handle = load_embedded_object();

	attach_or_exit(handle, "handle_exec");
	print_ready();
	exit(3);
}
