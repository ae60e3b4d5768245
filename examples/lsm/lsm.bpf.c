// SPDX-License-Identifier: Apache-2.0
/*
 * lsm: deny rmdir of any directory named "can_not_rm" (EPERM), and report who tried.
 *
 * Needs a kernel with BPF LSM: CONFIG_BPF_LSM=y and "bpf" among the active LSMs
 * (/sys/kernel/security/lsm, set with the lsm= boot parameter). Elsewhere the object does not
 * load: libbpf finds no bpf_lsm_path_rmdir to attach to, or the kernel has no LSM program type.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "lsm.h"

char LICENSE[] SEC("license") = "GPL"; /* LSM programs must be GPL-compatible */

#define EPERM 1

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("lsm/path_rmdir")
int BPF_PROG(path_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	static const char protected_name[] = PROTECTED_NAME;
	char name[NAME_LEN] = {};
	struct event *e;
	int i;

	/* An earlier program already denied it: keep that verdict. */
	if (ret != 0)
		return ret;
	if (bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(dentry, d_name.name)) < 0)
		return 0;
	for (i = 0; i < sizeof(protected_name); i++)
		if (name[i] != protected_name[i])
			return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->uid = (u32)bpf_get_current_uid_gid();
		bpf_get_current_comm(&e->comm, sizeof(e->comm));
		__builtin_memcpy(e->name, name, sizeof(e->name));
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}
