// SPDX-License-Identifier: Apache-2.0
/*
 * uprobe_target: the program the uprobe example traces. It adds its two arguments with
 * uprobed_add(), the function the example's uprobe and uretprobe are attached to, and prints
 * the sum. Built natively (not to Wasm) by the example's Makefile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* noinline + used: the call must stay a real call to a symbol the probe can find. */
__attribute__((noinline, used)) int uprobed_add(int a, int b)
{
	/* An empty asm keeps the compiler from treating the function as pure and folding calls. */
	__asm__ volatile("" ::: "memory");
	return a + b;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < -1000000000L || v > 1000000000L)
		return -1;
	*out = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	int a, b;

	if (argc != 3 || parse_int(argv[1], &a) || parse_int(argv[2], &b)) {
		fprintf(stderr, "Usage: %s A B   (integers within +-1e9): prints A + B via uprobed_add()\n",
			argv[0]);
		return 2;
	}
	printf("%d\n", uprobed_add(a, b));
	return 0;
}
