// SPDX-License-Identifier: Apache-2.0
/*
 * Attach, say READY, then exit with the status given as argv[1] (default 1): the daemon's restart-policy
 * tests run it as a module that fails (or succeeds) after holding kernel objects.
 */
#include "guest.h"

int main(int argc, char **argv)
{
	uint64_t handle = load_embedded_object();

	attach_or_exit(handle, "handle_exec");
	print_ready();
	return argc > 1 ? atoi(argv[1]) : 1;
}
