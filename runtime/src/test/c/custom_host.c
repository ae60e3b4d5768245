// SPDX-License-Identifier: Apache-2.0
/* Imports host functions the embedder registers (demo.add, demo.log); no BPF at all. */
#include <stdio.h>
#include <string.h>

__attribute__((import_module("demo"), import_name("add"))) int demo_add(int a, int b);
__attribute__((import_module("demo"), import_name("log"))) void demo_log(const char *ptr, int len);

int main(void)
{
	static const char message[] = "hello from guest";

	printf("SUM %d\n", demo_add(40, 2));
	fflush(stdout);
	demo_log(message, (int)strlen(message));
	return 0;
}
