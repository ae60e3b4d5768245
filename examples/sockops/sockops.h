/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event sockops.bpf.c writes into its ring buffer, shared with the wasm32 guest (which checks
 * the layout with _Static_assert): fixed-width fields ordered so that neither side pads.
 */
#ifndef SOCKOPS_H
#define SOCKOPS_H

#define TASK_COMM_LEN 16

/* Ops reported, with the kernel's numbers (enum in include/uapi/linux/bpf.h). */
#define SOCKOPS_TCP_CONNECT 3            /* BPF_SOCK_OPS_TCP_CONNECT_CB: connect(), in the caller */
#define SOCKOPS_ACTIVE_ESTABLISHED 4     /* BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB: SYN-ACK received */
#define SOCKOPS_PASSIVE_ESTABLISHED 5    /* BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB: final ACK received */

struct event {
	unsigned long long cookie; /* bpf_get_socket_cookie: ties the ops of one socket together */
	unsigned int pid;          /* tgid of the current task; 0 in softirq (the established ops) */
	unsigned int op;
	unsigned int family;       /* AF_INET (2) or AF_INET6 (10) */
	unsigned short local_port; /* host byte order */
	unsigned short remote_port; /* host byte order */
	unsigned char local_ip[16]; /* network byte order; IPv4 in the first 4 bytes */
	unsigned char remote_ip[16];
	char comm[TASK_COMM_LEN];  /* of the current task; empty in softirq */
};

#endif /* SOCKOPS_H */
