// SPDX-License-Identifier: Apache-2.0
/*
 * xstorm — the exec storm's target: no libc, no dynamic loader, just exit(0), so an exec costs
 * the kernel's exec path and nothing else. Built with -static -nostdlib; x86-64 and arm64.
 */
void _start(void)
{
#if defined(__x86_64__)
	__asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
#elif defined(__aarch64__)
	__asm__ volatile("mov x8, #93\n\tmov x0, #0\n\tsvc #0");
#else
#error "exec_target: add the exit syscall for this architecture"
#endif
	for (;;)
		;
}
