// SPDX-License-Identifier: Apache-2.0
/*
 * Unit test of libbpf-wasm.h's guest-side logic (ELF parsing, name lookup, .rodata/.bss buffers,
 * errno translation, bpf_buffer callbacks, skeleton attach rules) under the scripted host of
 * fake_host.mjs. Kernel behaviour is tested by the runtime's guests, not here.
 * Prints PASS/FAIL per check and exits 1 on any FAIL.
 */
#include "libbpf-wasm.h"
#include "selftest.bpf.inc"

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			printf("PASS %s\n", #cond);                                                \
		} else {                                                                           \
			printf("FAIL %s (line %d, errno %d)\n", #cond, __LINE__, errno);           \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static int samples;

/* Stops the poll with -5 at the sample whose value is 101 when *ctx is set. */
static int on_sample(void *ctx, void *data, size_t size)
{
	uint64_t value;

	memcpy(&value, data, sizeof(value));
	samples++;
	return (*(int *)ctx && size == 8 && value == 101) ? -5 : 0;
}

static void test_object_api(void)
{
	static const unsigned char junk[16] = "AAAAAAAAAAAAAAA";
	struct bpf_map *rodata, *bss, *kv;
	struct bpf_program *prog;
	struct bpf_buffer *buffer;
	struct bpf_object *obj;
	uint32_t key = 1;
	uint64_t value = 0;
	int err, stop = 0;

	CHECK(bpf_object__open_mem(junk, sizeof(junk), NULL) == NULL && errno == EINVAL);
	obj = bpf_object__open_mem(selftest_bpf_o, sizeof(selftest_bpf_o), NULL);
	CHECK(obj != NULL);
	if (!obj)
		return;

	rodata = bpf_object__find_map_by_name(obj, "selftest.rodata");
	CHECK(rodata && rodata == bpf_object__find_map_by_name(obj, ".rodata"));
	CHECK(rodata && rodata->mmaped_sz == 4 && *(uint32_t *)rodata->mmaped == 1);
	bss = bpf_object__find_map_by_name(obj, ".bss");
	CHECK(bss && bss->mmaped_sz == 8 && *(uint64_t *)bss->mmaped == 0);
	kv = bpf_object__find_map_by_name(obj, "kv");
	CHECK(kv && !kv->internal && bpf_object__find_map_by_name(obj, "events"));
	CHECK(bpf_object__find_map_by_name(obj, "nope") == NULL && errno == ENOENT);
	CHECK(bpf_map__fd(kv) == -EINVAL);
	prog = bpf_object__find_program_by_name(obj, "handle_exec");
	CHECK(prog && strcmp(bpf_program__section_name(prog), "tp/sched/sched_process_exec") == 0);
	CHECK(bpf_object__find_program_by_name(obj, "pass_all") != NULL);
	CHECK(bpf_object__find_program_by_name(obj, "nope") == NULL && errno == ENOENT);

	*(uint64_t *)bss->mmaped = 77; /* fake host checks that load pushes it (.bss key 0 = 77) */
	CHECK(bpf_object__load(obj) == 0);
	CHECK(bpf_object__load(obj) == -EINVAL);
	CHECK(bpf_map__fd(kv) == 10 && bpf_object__find_map_fd_by_name(obj, "events") == 12);
	CHECK(bpf_map__sync_from_kernel(bss) == 0 && *(uint64_t *)bss->mmaped == 0x5555);
	CHECK(bpf_map__sync_to_kernel(rodata) == -EPERM);

	/* The fake host answers lookups in kv with Linux ENOENT (2): callers see wasi-libc's 44. */
	err = bpf_map_lookup_elem(bpf_map__fd(kv), &key, &value);
	CHECK(err == -ENOENT && errno == ENOENT && ENOENT == 44);
	CHECK(strcmp(strerror(-err), "No such file or directory") == 0);
	CHECK(bpf_map_update_elem(bpf_map__fd(kv), &key, &value, BPF_NOEXIST) == -EEXIST);
	CHECK(bpf_map_update_elem(bpf_map__fd(kv), &key, &value, BPF_ANY) == 0);

	CHECK(bpf_program__set_attach_target(prog, 0, "denied") == 0);
	CHECK(bpf_program__attach(prog) == NULL && errno == EACCES && libbpf_get_error(NULL) == -EACCES);
	CHECK(bpf_program__set_attach_target(prog, 0, NULL) == 0);
	CHECK(bpf_program__attach(prog) != NULL);
	CHECK(bpf_program__attach(prog) == NULL && errno == EEXIST);

	buffer = bpf_buffer__new(bpf_object__find_map_by_name(obj, "events"), NULL);
	/* open polls once (timeout 0) so that a perf reader exists from here on. */
	CHECK(buffer && bpf_buffer__open(buffer, on_sample, &stop) == 0 && samples == 2);
	CHECK(bpf_buffer__poll(buffer, 0) == 2 && samples == 4);
	stop = 1; /* the callback's own -5 comes back untranslated */
	CHECK(bpf_buffer__poll(buffer, 0) == -5 && samples == 6);
	bpf_buffer__free(buffer);

	/* Upstream wasm-bpf's forms: new(map), open(map, cb, ctx) -> pointer, set_prog_attach_target. */
	stop = 0;
	buffer = bpf_buffer__new(bpf_object__find_map_by_name(obj, "events"));
	CHECK(buffer != NULL);
	bpf_buffer__free(buffer);
	buffer = bpf_buffer__open(bpf_object__find_map_by_name(obj, "events"), on_sample, &stop);
	CHECK(buffer != NULL && samples == 8); /* the reader exists, and early samples arrived */
	CHECK(bpf_buffer__poll(buffer, 100) == 2 && samples == 10);
	bpf_buffer__free(buffer);
	CHECK(bpf_buffer__open((struct bpf_map *)NULL, on_sample, NULL) == NULL && errno == EINVAL);
	bpf_set_prog_attach_target(bpf_object__find_program_by_name(obj, "pass_all"), "denied");
	CHECK(bpf_program__attach(bpf_object__find_program_by_name(obj, "pass_all")) == NULL &&
	      errno == EACCES);
	bpf_object__close(obj);
}

/* A skeleton as `gen skeleton` writes it, for selftest.bpf.o. */
struct selftest {
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
	struct bpf_map *kv, *rodata_map;
	struct bpf_program *handle_exec, *pass_all;
	struct bpf_link *handle_exec_link, *pass_all_link;
	struct { uint32_t src_key; } *rodata;
};

static struct bpf_object_skeleton *selftest_skeleton(struct selftest *t)
{
	struct bpf_object_skeleton *s = calloc(1, sizeof(*s));

	s->sz = sizeof(*s);
	s->name = "selftest_bpf";
	s->obj = &t->obj;
	s->data = selftest_bpf_o;
	s->data_sz = sizeof(selftest_bpf_o);
	s->map_cnt = 2;
	s->map_skel_sz = sizeof(*s->maps);
	s->maps = calloc(2, sizeof(*s->maps));
	s->maps[0].name = "kv";
	s->maps[0].map = &t->kv;
	s->maps[1].name = "selftest.rodata";
	s->maps[1].map = &t->rodata_map;
	s->maps[1].mmaped = (void **)&t->rodata;
	s->prog_cnt = 2;
	s->prog_skel_sz = sizeof(*s->progs);
	s->progs = calloc(2, sizeof(*s->progs));
	s->progs[0].name = "handle_exec";
	s->progs[0].prog = &t->handle_exec;
	s->progs[0].link = &t->handle_exec_link;
	s->progs[1].name = "pass_all";
	s->progs[1].prog = &t->pass_all;
	s->progs[1].link = &t->pass_all_link;
	t->skeleton = s;
	return s;
}

static void test_skeleton(void)
{
	struct selftest t = { 0 };
	struct bpf_object_skeleton *s = selftest_skeleton(&t);

	CHECK(bpf_object__open_skeleton(s, NULL) == 0);
	CHECK(t.kv && t.rodata_map && t.handle_exec && t.pass_all);
	CHECK(t.rodata && t.rodata->src_key == 1);
	t.rodata->src_key = 3; /* lands in the ELF bytes the host loads (fake host checks) */
	CHECK(bpf_program__set_autoload(t.handle_exec, false) == 0);
	CHECK(bpf_object__load_skeleton(s) == 0);
	CHECK(bpf_program__set_autoload(t.handle_exec, true) == -EBUSY);
	/* autoload off: skipped; xdp without a target: skipped, as libbpf does. */
	CHECK(bpf_object__attach_skeleton(s) == 0 && !t.handle_exec_link && !t.pass_all_link);
	t.handle_exec->autoload = true;
	CHECK(bpf_object__attach_skeleton(s) == 0 && t.handle_exec_link && !t.pass_all_link);
	CHECK(bpf_program__set_attach_target(t.pass_all, 0, "denied") == 0);
	CHECK(bpf_object__attach_skeleton(s) == -EACCES && !t.pass_all_link);
	bpf_object__detach_skeleton(s);
	CHECK(!t.handle_exec_link);
	bpf_object__destroy_skeleton(s);
	CHECK(t.obj == NULL);
}

/* The generated section rows (wasm-bpf-sections.h): first match wins, exact rows before prefix rows. */
static void test_auto_attach_sections(void)
{
	CHECK(libbpf_wasm_can_auto_attach("tp/sched/sched_process_exec"));
	CHECK(libbpf_wasm_can_auto_attach("kprobe.multi/tcp_*"));
	CHECK(libbpf_wasm_can_auto_attach("uprobe//bin/true:main"));
	CHECK(libbpf_wasm_can_auto_attach("fentry.s/do_unlinkat"));
	CHECK(!libbpf_wasm_can_auto_attach("uprobe"));         /* no binary: needs a target */
	CHECK(!libbpf_wasm_can_auto_attach("uprobe/"));        /* the exact row comes before the prefix row */
	CHECK(!libbpf_wasm_can_auto_attach("uprobe.multi/x")); /* row before uprobe/ */
	CHECK(!libbpf_wasm_can_auto_attach("fentry"));
	CHECK(!libbpf_wasm_can_auto_attach("xdp"));
	CHECK(!libbpf_wasm_can_auto_attach("tc"));
	CHECK(!libbpf_wasm_can_auto_attach("my_own_section"));
}

/* The scripted per-CPU map (fd 15) has 3 CPUs; the last one's value is all zero, and still counts. */
static void test_possible_cpus(void)
{
	uint32_t key = 0;

	CHECK(libbpf_wasm_num_possible_cpus(10, &key, 12) == -ENOENT);
	CHECK(libbpf_wasm_num_possible_cpus(15, &key, 0) == -EINVAL);
	CHECK(libbpf_wasm_num_possible_cpus(15, &key, 12) == 3);
	CHECK(libbpf_wasm_num_possible_cpus(10, &key, 12) == 3); /* measured once, then kept */
}

int main(void)
{
	libbpf_set_print(NULL); /* the expected failures above would warn on stderr */
	test_object_api();
	test_skeleton();
	test_auto_attach_sections();
	test_possible_cpus();
	printf("%s %d failure(s)\n", failures ? "FAILED" : "OK", failures);
	return failures ? 1 : 0;
}
