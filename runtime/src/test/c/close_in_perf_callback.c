// SPDX-License-Identifier: Apache-2.0
/* close_in_callback.c on the perf-buffer exec object (the Makefile embeds perfbuf_exec). */
#include "close_in_callback.c"
