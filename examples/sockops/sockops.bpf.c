// SPDX-License-Identifier: Apache-2.0
/*
 * sockops: one event per TCP connect and per connection established, active (our SYN got its
 * SYN-ACK) or passive (a listener's connection got its final ACK), for the sockets of the cgroup
 * the program is attached to (and of its descendants).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "sockops.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

SEC("sockops")
int sockops_events(struct bpf_sock_ops *skops)
{
	__u32 op = skops->op;
	struct event *e;
	__u64 pid_tgid;

	if (op != SOCKOPS_TCP_CONNECT && op != SOCKOPS_ACTIVE_ESTABLISHED &&
	    op != SOCKOPS_PASSIVE_ESTABLISHED)
		return 1;
	if (skops->family != AF_INET && skops->family != AF_INET6)
		return 1;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 1;
	__builtin_memset(e, 0, sizeof(*e));
	e->cookie = bpf_get_socket_cookie(skops);
	e->op = op;
	e->family = skops->family;
	/* local_port is in host order; remote_port is the network-order port in the upper 16 bits
	 * on little-endian hosts, which bpf_ntohl turns into the port. */
	e->local_port = skops->local_port;
	e->remote_port = bpf_ntohl(skops->remote_port);
	if (skops->family == AF_INET) {
		__u32 l = skops->local_ip4, r = skops->remote_ip4;

		__builtin_memcpy(e->local_ip, &l, 4);
		__builtin_memcpy(e->remote_ip, &r, 4);
	} else {
		/* Context fields are read one u32 at a constant offset: the verifier refuses a
		 * context pointer moved by a loop. */
		__u32 l[4] = { skops->local_ip6[0], skops->local_ip6[1], skops->local_ip6[2],
			       skops->local_ip6[3] };
		__u32 r[4] = { skops->remote_ip6[0], skops->remote_ip6[1], skops->remote_ip6[2],
			       skops->remote_ip6[3] };

		__builtin_memcpy(e->local_ip, l, sizeof(l));
		__builtin_memcpy(e->remote_ip, r, sizeof(r));
	}
	/* TCP_CONNECT runs in the connecting task; the established ops run in softirq, where the
	 * current task is whoever the CPU interrupted, so they report none. */
	if (op == SOCKOPS_TCP_CONNECT) {
		pid_tgid = bpf_get_current_pid_tgid();
		e->pid = pid_tgid >> 32;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	}
	bpf_ringbuf_submit(e, 0);
	return 1;
}
