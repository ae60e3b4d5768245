// SPDX-License-Identifier: Apache-2.0
/*
 * exec_storm — spawns TARGET (vfork + execve, then waits for it) COUNT times, either as fast as
 * one thread can (RATE 0) or paced at RATE execs per second, and prints how many execs succeeded
 * and how long that took:
 *
 *   exec_storm TARGET COUNT RATE
 *   -> "execs 5000 failed 0 seconds 2.871"
 *
 * One child at a time keeps the count exact: every exec that returned is a child that ran.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char *const envp[] = { NULL };
	long count, rate, done = 0, failed = 0;
	struct timespec next;
	double start;

	if (argc != 4 || (count = atol(argv[2])) <= 0 || (rate = atol(argv[3])) < 0) {
		fprintf(stderr, "Usage: %s TARGET COUNT RATE(0 = as fast as possible)\n", argv[0]);
		return 2;
	}
	char *const child_argv[] = { argv[1], NULL };
	clock_gettime(CLOCK_MONOTONIC, &next);
	start = now();
	for (long i = 0; i < count; i++) {
		if (rate > 0) {
			long step = 1000000000L / rate;
			next.tv_nsec += step;
			while (next.tv_nsec >= 1000000000L) {
				next.tv_nsec -= 1000000000L;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
		pid_t pid = vfork();
		if (pid == 0) {
			execve(child_argv[0], child_argv, envp);
			_exit(127);
		}
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
		else
			done++;
	}
	printf("execs %ld failed %ld seconds %.3f\n", done, failed, now() - start);
	return failed ? 1 : 0;
}
