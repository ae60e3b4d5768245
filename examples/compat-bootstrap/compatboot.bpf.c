// SPDX-License-Identifier: GPL-2.0
/* The kernel half is bootstrap's, unchanged: this example only tests the user-space API. */
#include "../bootstrap/bootstrap.bpf.c"
