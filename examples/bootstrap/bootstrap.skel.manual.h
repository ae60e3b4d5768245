/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hand-written skeleton of bootstrap.bpf.o in the layout `bpftool gen skeleton` produces, used
 * when the project's toolchain (`gen skeleton`) is not built yet: `make SKEL=manual`. The Makefile
 * copies it to $(OUT)/bootstrap.skel.h and generates $(OUT)/bootstrap.bpf.inc with the object's
 * bytes. Keep the map and program lists in step with bootstrap.bpf.c.
 */
#ifndef __BOOTSTRAP_BPF_SKEL_H__
#define __BOOTSTRAP_BPF_SKEL_H__

#include <errno.h>
#include <stdlib.h>
#include <bpf/libbpf.h>

struct bootstrap_bpf {
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
	struct {
		struct bpf_map *exec_start;
		struct bpf_map *rb;
		struct bpf_map *rodata;
	} maps;
	struct {
		struct bpf_program *handle_exec;
		struct bpf_program *handle_exit;
	} progs;
	struct {
		struct bpf_link *handle_exec;
		struct bpf_link *handle_exit;
	} links;
	struct bootstrap_bpf__rodata {
		unsigned long long min_duration_ns;
	} *rodata;
};

static void
bootstrap_bpf__destroy(struct bootstrap_bpf *obj)
{
	if (!obj)
		return;
	if (obj->skeleton)
		bpf_object__destroy_skeleton(obj->skeleton);
	free(obj);
}

static inline int
bootstrap_bpf__create_skeleton(struct bootstrap_bpf *obj);

static inline struct bootstrap_bpf *
bootstrap_bpf__open_opts(const struct bpf_object_open_opts *opts)
{
	struct bootstrap_bpf *obj;
	int err;

	obj = (struct bootstrap_bpf *)calloc(1, sizeof(*obj));
	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}

	err = bootstrap_bpf__create_skeleton(obj);
	if (err)
		goto err_out;

	err = bpf_object__open_skeleton(obj->skeleton, opts);
	if (err)
		goto err_out;

	return obj;
err_out:
	bootstrap_bpf__destroy(obj);
	errno = -err;
	return NULL;
}

static inline struct bootstrap_bpf *
bootstrap_bpf__open(void)
{
	return bootstrap_bpf__open_opts(NULL);
}

static inline int
bootstrap_bpf__load(struct bootstrap_bpf *obj)
{
	return bpf_object__load_skeleton(obj->skeleton);
}

static inline struct bootstrap_bpf *
bootstrap_bpf__open_and_load(void)
{
	struct bootstrap_bpf *obj;
	int err;

	obj = bootstrap_bpf__open();
	if (!obj)
		return NULL;
	err = bootstrap_bpf__load(obj);
	if (err) {
		bootstrap_bpf__destroy(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

static inline int
bootstrap_bpf__attach(struct bootstrap_bpf *obj)
{
	return bpf_object__attach_skeleton(obj->skeleton);
}

static inline void
bootstrap_bpf__detach(struct bootstrap_bpf *obj)
{
	bpf_object__detach_skeleton(obj->skeleton);
}

static inline const void *bootstrap_bpf__elf_bytes(size_t *sz);

static inline int
bootstrap_bpf__create_skeleton(struct bootstrap_bpf *obj)
{
	struct bpf_object_skeleton *s;
	int err;

	s = (struct bpf_object_skeleton *)calloc(1, sizeof(*s));
	if (!s) {
		err = -ENOMEM;
		goto err;
	}

	s->sz = sizeof(*s);
	s->name = "bootstrap_bpf";
	s->obj = &obj->obj;

	/* maps */
	s->map_cnt = 3;
	s->map_skel_sz = sizeof(*s->maps);
	s->maps = (struct bpf_map_skeleton *)calloc(s->map_cnt, s->map_skel_sz);
	if (!s->maps) {
		err = -ENOMEM;
		goto err;
	}

	s->maps[0].name = "exec_start";
	s->maps[0].map = &obj->maps.exec_start;

	s->maps[1].name = "rb";
	s->maps[1].map = &obj->maps.rb;

	s->maps[2].name = "bootstra.rodata";
	s->maps[2].map = &obj->maps.rodata;
	s->maps[2].mmaped = (void **)&obj->rodata;

	/* programs */
	s->prog_cnt = 2;
	s->prog_skel_sz = sizeof(*s->progs);
	s->progs = (struct bpf_prog_skeleton *)calloc(s->prog_cnt, s->prog_skel_sz);
	if (!s->progs) {
		err = -ENOMEM;
		goto err;
	}

	s->progs[0].name = "handle_exec";
	s->progs[0].prog = &obj->progs.handle_exec;
	s->progs[0].link = &obj->links.handle_exec;

	s->progs[1].name = "handle_exit";
	s->progs[1].prog = &obj->progs.handle_exit;
	s->progs[1].link = &obj->links.handle_exit;

	s->data = (void *)bootstrap_bpf__elf_bytes(&s->data_sz);

	obj->skeleton = s;
	return 0;
err:
	bpf_object__destroy_skeleton(s);
	return err;
}

#include "bootstrap.bpf.inc"

static inline const void *bootstrap_bpf__elf_bytes(size_t *sz)
{
	*sz = sizeof(bootstrap_bpf_elf_bytes);
	return bootstrap_bpf_elf_bytes;
}

#endif /* __BOOTSTRAP_BPF_SKEL_H__ */
