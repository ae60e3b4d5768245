// SPDX-License-Identifier: Apache-2.0
/* The seed of the malformed-module tests: small, no BPF object, prints one line and exits 0. */
#include <stdio.h>

int main(void)
{
	puts("TINY");
	return 0;
}
