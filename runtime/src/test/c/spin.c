// SPDX-License-Identifier: Apache-2.0
/* Attach, then loop forever without host calls: only a loop-back-edge safepoint can stop it. */
#include "guest.h"

int main(void)
{
	uint64_t handle = load_embedded_object();
	volatile unsigned long counter = 0;

	attach_or_exit(handle, "handle_exec");
	print_ready();
	for (;;)
		counter++;
}
