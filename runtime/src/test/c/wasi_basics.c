// SPDX-License-Identifier: Apache-2.0
/*
 * The WASI preview1 surface a CLI program relies on, one fact per line: args, environment,
 * stdout's fdstat, clocks and sleep, randomness, a preopened file, reading address 0, and line
 * buffering of stdout (LINE1, 300 ms pause, LINE2).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

extern char **environ;

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void print_stdout_fdstat(void)
{
	__wasi_fdstat_t stat;
	__wasi_errno_t err = __wasi_fd_fdstat_get(1, &stat);

	if (err) {
		printf("STDOUT_FDSTAT_ERROR %d\n", err);
		return;
	}
	printf("STDOUT_FILETYPE %d\n", stat.fs_filetype);
	printf("STDOUT_RIGHTS_SEEK %d\n", (stat.fs_rights_base & __WASI_RIGHTS_FD_SEEK) ? 1 : 0);
}

static void check_clock(void)
{
	uint64_t before = monotonic_ns(), after;

	sleep_ms(10);
	after = monotonic_ns();
	if (after >= before + 10000000ULL)
		printf("CLOCK_OK\n");
	else
		printf("CLOCK_BAD delta_ns=%llu\n", (unsigned long long)(after - before));
}

static void check_random(void)
{
	unsigned char bytes[32] = { 0 };
	int i, nonzero = 0;

	if (getentropy(bytes, sizeof(bytes)) != 0) {
		printf("RANDOM_ERROR\n");
		return;
	}
	for (i = 0; i < (int)sizeof(bytes); i++)
		nonzero |= bytes[i];
	printf(nonzero ? "RANDOM_OK\n" : "RANDOM_BAD\n");
}

/* fd 3 is the first preopen when the runtime was given one (--dir HOST::/data). */
static void read_preopened_file(void)
{
	__wasi_prestat_t prestat;
	char line[256];
	FILE *file;

	if (__wasi_fd_prestat_get(3, &prestat) != 0)
		return;
	file = fopen("/data/hello.txt", "r");
	if (!file) {
		printf("FILE_ERROR %s\n", strerror(errno));
		return;
	}
	if (fgets(line, sizeof(line), file)) {
		line[strcspn(line, "\r\n")] = '\0';
		printf("FILE %s\n", line);
	} else {
		printf("FILE_EMPTY\n");
	}
	fclose(file);
}

/* Old guests read argv[1] when absent; address 0 must read, not trap. `volatile` keeps the
 * compiler from treating this as a null dereference it may turn into a trap. */
static void read_address_zero(void)
{
	volatile uintptr_t zero = 0;
	unsigned char byte = *(volatile unsigned char *)zero;

	printf("ADDR0 %u\n", byte);
}

int main(int argc, char **argv)
{
	char **env;
	int i;

	printf("ARGC %d\n", argc);
	for (i = 0; i < argc; i++)
		printf("ARG %d %s\n", i, argv[i]);
	for (env = environ; env && *env; env++)
		printf("ENV %s\n", *env);
	print_stdout_fdstat();
	check_clock();
	check_random();
	read_preopened_file();
	read_address_zero();
	printf("LINE1\n");
	sleep_ms(300);
	printf("LINE2\n");
	return 0;
}
