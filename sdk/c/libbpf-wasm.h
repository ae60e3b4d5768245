/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libbpf-wasm.h — a libbpf-shaped API for wasm32-wasi guests, on top of the raw imports of
 * wasm-bpf.h. Header-only: every function is `static inline`, there is no library to link.
 *
 * What it gives you, and how it differs from libbpf (see README.md for the long version):
 *
 *  - bpf_object__open_mem() copies the ELF into guest memory it owns and parses its section
 *    headers and symbol table, so programs and maps can be found by name before load.
 *  - bpf_object__load() hands the (possibly patched) ELF to the host, which loads everything.
 *  - Internal maps (.rodata, .data, .bss) have a guest-side `mmaped` buffer:
 *      .rodata, .data  point into the ELF copy's section bytes, so writes made BEFORE load are
 *                      what the kernel map starts with;
 *      .bss            is a zeroed buffer of the section size, pushed into the map right after
 *                      load when the guest wrote anything into it.
 *    AFTER load the buffers are NOT shared with the kernel (there is no mmap across the Wasm
 *    boundary): call bpf_map__sync_from_kernel(map) before reading skel->bss->x and
 *    bpf_map__sync_to_kernel(map) after writing it. .rodata is frozen by the host at load.
 *  - Every error is returned as a negative errno of *this* libc (wasi-libc: ENOENT is 44), so
 *    `err == -ENOENT` and strerror(-err) work; functions returning pointers return NULL and set
 *    errno, like libbpf 1.0.
 *  - The host loads every program of the object (the ABI has no per-program load);
 *    bpf_program__set_autoload(prog, false) makes bpf_object__attach_skeleton() skip it.
 *  - Links live as long as the object: bpf_link__destroy() only forgets the link, the program is
 *    detached by bpf_object__close() (the host ABI has no per-link detach).
 *  - Nothing is printed unless something fails; messages go through libbpf_set_print()'s
 *    callback (default: warnings to stderr, as libbpf does).
 */
#ifndef LIBBPF_WASM_H
#define LIBBPF_WASM_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm-bpf.h"
#include "wasm-bpf-sections.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIBBPF_WASM_API static inline

/* The kernel's fixed-width names, used by libbpf's signatures and by generated headers. */
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;

/* Largest sample a bpf_buffer delivers; longer ones are truncated. Override before including. */
#ifndef LIBBPF_WASM_MAX_SAMPLE_SIZE
#define LIBBPF_WASM_MAX_SAMPLE_SIZE (64 * 1024)
#endif

/* ---------------------------------------------------------------------------------------------
 * Errors and messages
 * ------------------------------------------------------------------------------------------ */

/*
 * Linux errno (what the host returns) to this libc's errno. Linux values come from
 * include/uapi/asm-generic/errno-base.h and errno.h; names without a WASI counterpart become EIO.
 */
LIBBPF_WASM_API int libbpf_wasm_errno_from_linux(int linux_errno)
{
	switch (linux_errno) {
	case 1: return EPERM;         case 2: return ENOENT;        case 3: return ESRCH;
	case 4: return EINTR;         case 5: return EIO;           case 6: return ENXIO;
	case 7: return E2BIG;         case 8: return ENOEXEC;       case 9: return EBADF;
	case 10: return ECHILD;       case 11: return EAGAIN;       case 12: return ENOMEM;
	case 13: return EACCES;       case 14: return EFAULT;       case 16: return EBUSY;
	case 17: return EEXIST;       case 18: return EXDEV;        case 19: return ENODEV;
	case 20: return ENOTDIR;      case 21: return EISDIR;       case 22: return EINVAL;
	case 23: return ENFILE;       case 24: return EMFILE;       case 25: return ENOTTY;
	case 26: return ETXTBSY;      case 27: return EFBIG;        case 28: return ENOSPC;
	case 29: return ESPIPE;       case 30: return EROFS;        case 31: return EMLINK;
	case 32: return EPIPE;        case 33: return EDOM;         case 34: return ERANGE;
	case 35: return EDEADLK;      case 36: return ENAMETOOLONG; case 37: return ENOLCK;
	case 38: return ENOSYS;       case 39: return ENOTEMPTY;    case 40: return ELOOP;
	case 42: return ENOMSG;       case 43: return EIDRM;        case 67: return ENOLINK;
	case 71: return EPROTO;       case 72: return EMULTIHOP;    case 74: return EBADMSG;
	case 75: return EOVERFLOW;    case 84: return EILSEQ;       case 88: return ENOTSOCK;
	case 89: return EDESTADDRREQ; case 90: return EMSGSIZE;     case 91: return EPROTOTYPE;
	case 92: return ENOPROTOOPT;  case 93: return EPROTONOSUPPORT;
	case 95: return EOPNOTSUPP;   case 97: return EAFNOSUPPORT; case 98: return EADDRINUSE;
	case 99: return EADDRNOTAVAIL; case 100: return ENETDOWN;   case 101: return ENETUNREACH;
	case 102: return ENETRESET;   case 103: return ECONNABORTED; case 104: return ECONNRESET;
	case 105: return ENOBUFS;     case 106: return EISCONN;     case 107: return ENOTCONN;
	case 110: return ETIMEDOUT;   case 111: return ECONNREFUSED; case 113: return EHOSTUNREACH;
	case 114: return EALREADY;    case 115: return EINPROGRESS; case 116: return ESTALE;
	case 122: return EDQUOT;      case 125: return ECANCELED;   case 130: return EOWNERDEAD;
	case 131: return ENOTRECOVERABLE;
	case 524: return ENOTSUP; /* the kernel-internal ENOTSUPP that bpf() lets escape */
	default: return EIO;
	}
}

/* A host return value as this libc sees it: >= 0 unchanged, -linux_errno -> -errno (errno set). */
LIBBPF_WASM_API int libbpf_wasm_result(int host_ret)
{
	if (host_ret >= 0)
		return host_ret;
	errno = libbpf_wasm_errno_from_linux(-host_ret);
	return -errno;
}

/* Return -err after setting errno = err: the libbpf 1.0 convention for int-returning calls. */
LIBBPF_WASM_API int libbpf_wasm_fail(int err)
{
	errno = err;
	return -err;
}

enum libbpf_print_level {
	LIBBPF_WARN,
	LIBBPF_INFO,
	LIBBPF_DEBUG,
};

typedef int (*libbpf_print_fn_t)(enum libbpf_print_level level, const char *format, va_list args);

LIBBPF_WASM_API int libbpf_wasm_default_print(enum libbpf_print_level level, const char *format,
					      va_list args)
{
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, format, args);
}

/* One print hook per module; a function-local static keeps the header free of definitions. */
LIBBPF_WASM_API libbpf_print_fn_t *libbpf_wasm_print_hook(void)
{
	static libbpf_print_fn_t hook = libbpf_wasm_default_print;
	return &hook;
}

/* Install `fn` (NULL silences everything); returns the previous one, as libbpf does. */
LIBBPF_WASM_API libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)
{
	libbpf_print_fn_t old = *libbpf_wasm_print_hook();
	*libbpf_wasm_print_hook() = fn;
	return old;
}

__attribute__((format(printf, 2, 3)))
LIBBPF_WASM_API void libbpf_wasm_log(enum libbpf_print_level level, const char *format, ...)
{
	libbpf_print_fn_t fn = *libbpf_wasm_print_hook();
	va_list args;

	if (!fn)
		return;
	va_start(args, format);
	fn(level, format, args);
	va_end(args);
}

/* libbpf 1.0: a NULL result means "see errno". */
LIBBPF_WASM_API long libbpf_get_error(const void *ptr)
{
	return ptr ? 0 : -errno;
}

LIBBPF_WASM_API int libbpf_strerror(int err, char *buf, size_t size)
{
	if (!buf || !size)
		return -EINVAL;
	snprintf(buf, size, "%s", strerror(err < 0 ? -err : err));
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Objects, maps, programs, links
 * ------------------------------------------------------------------------------------------ */

struct bpf_object;

struct bpf_map {
	struct bpf_object *obj;
	char *name;       /* variable name; for internal maps the section name (".rodata") */
	int fd;           /* -1 until the object is loaded */
	bool internal;    /* .rodata / .data / .bss (and their ".name" variants) */
	bool readonly;    /* .rodata*: frozen by the host at load */
	void *mmaped;     /* internal maps: the guest-side copy of the value (key 0) */
	size_t mmaped_sz; /* == the map's value_size (the section size) */
	bool mmaped_owned; /* .bss: allocated here rather than pointing into the ELF copy */
};

struct bpf_link;

struct bpf_program {
	struct bpf_object *obj;
	char *name;          /* C function name */
	char *sec_name;      /* ELF section, e.g. "tp/sched/sched_process_exec" */
	char *attach_target; /* from bpf_program__set_attach_target, NULL = auto-attach */
	bool autoload;
	struct bpf_link *link; /* the single live link, if attached */
};

struct bpf_link {
	struct bpf_program *prog;
};

struct bpf_object {
	char *name;
	unsigned char *elf; /* our own copy: .rodata/.data patches go here */
	size_t elf_sz;
	uint64_t handle;    /* 0 until loaded */
	struct bpf_map *maps;
	size_t nr_maps;
	struct bpf_program *progs;
	size_t nr_progs;
};

struct bpf_object_open_opts {
	size_t sz;               /* sizeof(struct bpf_object_open_opts) */
	const char *object_name; /* the only option honoured; the rest of libbpf's are meaningless here */
};

#ifndef LIBBPF_OPTS
#define LIBBPF_OPTS(TYPE, NAME, ...)                                                               \
	struct TYPE NAME = ({                                                                      \
		memset(&NAME, 0, sizeof(struct TYPE));                                             \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };                           \
	})
#define DECLARE_LIBBPF_OPTS LIBBPF_OPTS
#endif

/* --- ELF64 parsing (only what finding programs and maps needs) ------------------------------ */

/* Field layouts from the System V gABI (elf.h: Elf64_Ehdr, Elf64_Shdr, Elf64_Sym). */
struct libbpf_wasm_elf64_shdr {
	uint32_t sh_name;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t sh_addr;
	uint64_t sh_offset;
	uint64_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint64_t sh_addralign;
	uint64_t sh_entsize;
};

struct libbpf_wasm_elf64_sym {
	uint32_t st_name;
	unsigned char st_info;
	unsigned char st_other;
	uint16_t st_shndx;
	uint64_t st_value;
	uint64_t st_size;
};

#define LIBBPF_WASM_SHT_SYMTAB   2
#define LIBBPF_WASM_SHT_NOBITS   8
#define LIBBPF_WASM_SHF_EXECINSTR 0x4
#define LIBBPF_WASM_STT_OBJECT   1
#define LIBBPF_WASM_STT_FUNC     2

struct libbpf_wasm_elf {
	const unsigned char *buf;
	size_t size;
	uint64_t shoff;
	uint16_t shnum;
	uint16_t shstrndx;
};

/* Section header `idx`, copied out because the ELF may sit at any alignment. */
LIBBPF_WASM_API bool libbpf_wasm_elf_shdr(const struct libbpf_wasm_elf *elf, size_t idx,
					  struct libbpf_wasm_elf64_shdr *out)
{
	if (idx >= elf->shnum)
		return false;
	memcpy(out, elf->buf + elf->shoff + idx * sizeof(*out), sizeof(*out));
	return true;
}

/* The bytes of a section, or false when its header points outside the file. */
LIBBPF_WASM_API bool libbpf_wasm_elf_section_in_file(const struct libbpf_wasm_elf *elf,
						     const struct libbpf_wasm_elf64_shdr *sh)
{
	if (sh->sh_type == LIBBPF_WASM_SHT_NOBITS)
		return true;
	return sh->sh_offset <= elf->size && sh->sh_size <= elf->size - sh->sh_offset;
}

/* The NUL-terminated string at `off` of string-table section `strtab_idx`, or NULL. */
LIBBPF_WASM_API const char *libbpf_wasm_elf_string(const struct libbpf_wasm_elf *elf,
						  size_t strtab_idx, uint64_t off)
{
	struct libbpf_wasm_elf64_shdr sh;
	const char *start;

	if (!libbpf_wasm_elf_shdr(elf, strtab_idx, &sh) || sh.sh_type == LIBBPF_WASM_SHT_NOBITS ||
	    !libbpf_wasm_elf_section_in_file(elf, &sh) || off >= sh.sh_size)
		return NULL;
	start = (const char *)elf->buf + sh.sh_offset + off;
	if (!memchr(start, '\0', sh.sh_size - off))
		return NULL;
	return start;
}

LIBBPF_WASM_API const char *libbpf_wasm_elf_section_name(const struct libbpf_wasm_elf *elf,
							size_t idx)
{
	struct libbpf_wasm_elf64_shdr sh;

	if (!libbpf_wasm_elf_shdr(elf, idx, &sh))
		return NULL;
	return libbpf_wasm_elf_string(elf, elf->shstrndx, sh.sh_name);
}

/* Check the identification and that the section header table lies inside the buffer. */
LIBBPF_WASM_API int libbpf_wasm_elf_init(struct libbpf_wasm_elf *elf, const unsigned char *buf,
					size_t size)
{
	uint16_t machine, shentsize;
	struct libbpf_wasm_elf64_shdr sh;
	size_t i;

	if (size < 64 || memcmp(buf, "\177ELF", 4) != 0) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: not an ELF file (%zu bytes)\n", size);
		return -EINVAL;
	}
	if (buf[4] != 2 /* ELFCLASS64 */ || buf[5] != 1 /* ELFDATA2LSB */) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: not a little-endian ELF64 BPF object\n");
		return -EINVAL;
	}
	memcpy(&machine, buf + 18, 2);
	if (machine != 247 /* EM_BPF */) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: ELF machine %u is not EM_BPF (247)\n",
				machine);
		return -EINVAL;
	}
	elf->buf = buf;
	elf->size = size;
	memcpy(&elf->shoff, buf + 40, 8);
	memcpy(&shentsize, buf + 58, 2);
	memcpy(&elf->shnum, buf + 60, 2);
	memcpy(&elf->shstrndx, buf + 62, 2);
	if (shentsize != sizeof(struct libbpf_wasm_elf64_shdr) || elf->shnum == 0 ||
	    elf->shoff > size || (size - elf->shoff) / sizeof(sh) < elf->shnum ||
	    elf->shstrndx >= elf->shnum) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: corrupt ELF section header table\n");
		return -EINVAL;
	}
	for (i = 0; i < elf->shnum; i++) {
		libbpf_wasm_elf_shdr(elf, i, &sh);
		if (!libbpf_wasm_elf_section_in_file(elf, &sh)) {
			libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: ELF section %zu lies outside the file\n", i);
			return -EINVAL;
		}
	}
	return 0;
}

/* --- building the object model ------------------------------------------------------------- */

LIBBPF_WASM_API bool libbpf_wasm_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Sections libbpf turns into internal array maps (libbpf.c: bpf_object__elf_collect). */
LIBBPF_WASM_API bool libbpf_wasm_is_internal_map_section(const char *name, bool *readonly)
{
	*readonly = strcmp(name, ".rodata") == 0 || libbpf_wasm_has_prefix(name, ".rodata.");
	return *readonly || strcmp(name, ".data") == 0 || libbpf_wasm_has_prefix(name, ".data.") ||
	       strcmp(name, ".bss") == 0;
}

LIBBPF_WASM_API char *libbpf_wasm_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = (char *)malloc(n);

	if (copy)
		memcpy(copy, s, n);
	return copy;
}

LIBBPF_WASM_API void bpf_object__close(struct bpf_object *obj);

/*
 * Two passes over the ELF: count, then fill, so the map and program arrays never move and the
 * pointers handed to the user stay valid until bpf_object__close().
 */
LIBBPF_WASM_API int libbpf_wasm_collect(struct bpf_object *obj, const struct libbpf_wasm_elf *elf)
{
	struct libbpf_wasm_elf64_shdr sh, symtab, target;
	struct libbpf_wasm_elf64_sym sym;
	size_t i, pass, symtab_idx = 0, nsyms = 0;
	const char *name, *sec;
	bool readonly;

	for (i = 1; i < elf->shnum; i++) {
		libbpf_wasm_elf_shdr(elf, i, &sh);
		if (sh.sh_type == LIBBPF_WASM_SHT_SYMTAB) {
			symtab_idx = i;
			symtab = sh;
			nsyms = sh.sh_size / sizeof(sym);
			break;
		}
	}
	if (!symtab_idx) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: BPF object has no symbol table\n");
		return -EINVAL;
	}

	for (pass = 0; pass < 2; pass++) {
		size_t nmaps = 0, nprogs = 0;

		/* Internal maps come from sections, one per non-empty data section. */
		for (i = 1; i < elf->shnum; i++) {
			libbpf_wasm_elf_shdr(elf, i, &sh);
			sec = libbpf_wasm_elf_section_name(elf, i);
			if (!sec || !sh.sh_size || !libbpf_wasm_is_internal_map_section(sec, &readonly))
				continue;
			if (pass == 1) {
				struct bpf_map *m = &obj->maps[nmaps];

				m->obj = obj;
				m->fd = -1;
				m->internal = true;
				m->readonly = readonly;
				m->mmaped_sz = (size_t)sh.sh_size;
				if (sh.sh_type == LIBBPF_WASM_SHT_NOBITS) {
					m->mmaped = calloc(1, m->mmaped_sz);
					m->mmaped_owned = true;
				} else {
					m->mmaped = obj->elf + sh.sh_offset;
				}
				m->name = libbpf_wasm_strdup(sec);
				if (!m->name || !m->mmaped)
					return -ENOMEM;
			}
			nmaps++;
		}

		/* User maps and programs come from the symbol table. */
		for (i = 1; i < nsyms; i++) {
			unsigned type;

			memcpy(&sym, elf->buf + symtab.sh_offset + i * sizeof(sym), sizeof(sym));
			type = sym.st_info & 0xf;
			/* Any binding: libbpf >= 1.0 accepts static programs and maps too. */
			if (sym.st_shndx == 0 ||
			    !libbpf_wasm_elf_shdr(elf, sym.st_shndx, &target))
				continue;
			sec = libbpf_wasm_elf_section_name(elf, sym.st_shndx);
			name = libbpf_wasm_elf_string(elf, symtab.sh_link, sym.st_name);
			if (!sec || !name || !*name)
				continue;
			if (type == LIBBPF_WASM_STT_FUNC && (target.sh_flags & LIBBPF_WASM_SHF_EXECINSTR) &&
			    strcmp(sec, ".text") != 0) {
				if (pass == 1) {
					struct bpf_program *p = &obj->progs[nprogs];

					p->obj = obj;
					p->autoload = true;
					p->name = libbpf_wasm_strdup(name);
					p->sec_name = libbpf_wasm_strdup(sec);
					if (!p->name || !p->sec_name)
						return -ENOMEM;
				}
				nprogs++;
			} else if ((type == LIBBPF_WASM_STT_OBJECT || type == 0) &&
				   (strcmp(sec, ".maps") == 0 || strcmp(sec, "maps") == 0)) {
				if (pass == 1) {
					struct bpf_map *m = &obj->maps[nmaps];

					m->obj = obj;
					m->fd = -1;
					m->name = libbpf_wasm_strdup(name);
					if (!m->name)
						return -ENOMEM;
				}
				nmaps++;
			}
		}

		if (pass == 0) {
			obj->nr_maps = nmaps;
			obj->nr_progs = nprogs;
			obj->maps = (struct bpf_map *)calloc(nmaps ? nmaps : 1, sizeof(*obj->maps));
			obj->progs = (struct bpf_program *)calloc(nprogs ? nprogs : 1, sizeof(*obj->progs));
			if (!obj->maps || !obj->progs)
				return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Open a BPF ELF object held in guest memory. The bytes are copied, so `obj_buf` may be freed or
 * reused afterwards. Returns NULL with errno set (EINVAL: not a BPF ELF object; ENOMEM).
 */
LIBBPF_WASM_API struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
						      const struct bpf_object_open_opts *opts)
{
	struct libbpf_wasm_elf elf;
	struct bpf_object *obj;
	const char *name = (opts && opts->object_name) ? opts->object_name : "wasm-bpf-object";
	int err;

	if (!obj_buf || !obj_buf_sz || obj_buf_sz > INT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	obj = (struct bpf_object *)calloc(1, sizeof(*obj));
	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	obj->elf = (unsigned char *)malloc(obj_buf_sz);
	obj->name = libbpf_wasm_strdup(name);
	if (!obj->elf || !obj->name) {
		err = -ENOMEM;
		goto fail;
	}
	memcpy(obj->elf, obj_buf, obj_buf_sz);
	obj->elf_sz = obj_buf_sz;

	err = libbpf_wasm_elf_init(&elf, obj->elf, obj->elf_sz);
	if (!err)
		err = libbpf_wasm_collect(obj, &elf);
	if (err)
		goto fail;
	return obj;
fail:
	bpf_object__close(obj);
	errno = -err;
	return NULL;
}

/* Release everything: the host object (detaching all its programs), maps, programs, links. */
LIBBPF_WASM_API void bpf_object__close(struct bpf_object *obj)
{
	size_t i;

	if (!obj)
		return;
	if (obj->handle)
		wasm_close_bpf_object(obj->handle);
	for (i = 0; obj->maps && i < obj->nr_maps; i++) {
		free(obj->maps[i].name);
		if (obj->maps[i].mmaped_owned)
			free(obj->maps[i].mmaped);
	}
	for (i = 0; obj->progs && i < obj->nr_progs; i++) {
		free(obj->progs[i].name);
		free(obj->progs[i].sec_name);
		free(obj->progs[i].attach_target);
		/* A link the user still holds outlives us: bpf_link__destroy() frees it later. */
		if (obj->progs[i].link)
			obj->progs[i].link->prog = NULL;
	}
	free(obj->maps);
	free(obj->progs);
	free(obj->elf);
	free(obj->name);
	free(obj);
}

LIBBPF_WASM_API const char *bpf_object__name(const struct bpf_object *obj)
{
	return obj ? obj->name : NULL;
}

/* The host's handle of a loaded object (0 before load), for mixing with wasm-bpf.h calls. */
LIBBPF_WASM_API uint64_t bpf_object__wasm_handle(const struct bpf_object *obj)
{
	return obj ? obj->handle : 0;
}

LIBBPF_WASM_API bool libbpf_wasm_all_zero(const void *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i])
			return false;
	return true;
}

LIBBPF_WASM_API int bpf_map__sync_to_kernel(const struct bpf_map *map);

/*
 * Load the object: the host creates the maps (.rodata/.data from the ELF copy, including any
 * writes through `mmaped` made since open), verifies and loads every program. A .bss written
 * before load is pushed into its map here. Returns 0, -EINVAL when the host refused the object
 * (it logs libbpf's reason and the verifier log on its stderr) or when already loaded.
 */
LIBBPF_WASM_API int bpf_object__load(struct bpf_object *obj)
{
	size_t i;
	int fd, err;

	if (!obj || obj->handle)
		return libbpf_wasm_fail(EINVAL);
	obj->handle = wasm_load_bpf_object(obj->elf, (int)obj->elf_sz);
	if (!obj->handle) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: the host failed to load object '%s'\n",
				obj->name);
		return libbpf_wasm_fail(EINVAL);
	}
	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *m = &obj->maps[i];

		fd = wasm_bpf_map_fd_by_name(obj->handle, m->name);
		if (fd < 0) {
			/* libbpf may drop an internal map it did not need (e.g. .rodata.str1.1). */
			if (!m->internal)
				libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: map '%s': no fd (%d)\n",
						m->name, fd);
			continue;
		}
		m->fd = fd;
		if (m->mmaped_owned && !libbpf_wasm_all_zero(m->mmaped, m->mmaped_sz)) {
			err = bpf_map__sync_to_kernel(m);
			if (err)
				return err;
		}
	}
	return 0;
}

/* The map named `name`: a variable name, a section name (".bss") or libbpf's "prefix.bss". */
LIBBPF_WASM_API struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj,
							   const char *name)
{
	size_t i, len;

	if (!obj || !name) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < obj->nr_maps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return &obj->maps[i];
	/* libbpf names internal maps "<up to 8 chars of the object name><section>". */
	len = strlen(name);
	for (i = 0; i < obj->nr_maps; i++) {
		size_t sec_len = strlen(obj->maps[i].name);

		if (obj->maps[i].internal && len > sec_len &&
		    strcmp(name + len - sec_len, obj->maps[i].name) == 0)
			return &obj->maps[i];
	}
	errno = ENOENT;
	return NULL;
}

LIBBPF_WASM_API struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj,
								   const char *name)
{
	size_t i;

	if (!obj || !name) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < obj->nr_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	errno = ENOENT;
	return NULL;
}

/* Iteration in ELF order, as in libbpf: pass NULL to get the first one. */
LIBBPF_WASM_API struct bpf_program *bpf_object__next_program(const struct bpf_object *obj,
							   struct bpf_program *prev)
{
	size_t next = prev ? (size_t)(prev - obj->progs) + 1 : 0;

	return next < obj->nr_progs ? &obj->progs[next] : NULL;
}

LIBBPF_WASM_API struct bpf_map *bpf_object__next_map(const struct bpf_object *obj,
						   const struct bpf_map *prev)
{
	size_t next = prev ? (size_t)(prev - obj->maps) + 1 : 0;

	return next < obj->nr_maps ? &obj->maps[next] : NULL;
}

#define bpf_object__for_each_program(pos, obj)                                                     \
	for ((pos) = bpf_object__next_program((obj), NULL); (pos) != NULL;                         \
	     (pos) = bpf_object__next_program((obj), (pos)))

#define bpf_object__for_each_map(pos, obj)                                                         \
	for ((pos) = bpf_object__next_map((obj), NULL); (pos) != NULL;                             \
	     (pos) = bpf_object__next_map((obj), (pos)))

/* The fd of map `name` once loaded, or a negative errno. */
LIBBPF_WASM_API int bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map)
		return -errno;
	if (map->fd < 0)
		return libbpf_wasm_fail(ENOENT);
	return map->fd;
}

/* The map's fd, or -EINVAL before load (libbpf says the same for an unloaded map). */
LIBBPF_WASM_API int bpf_map__fd(const struct bpf_map *map)
{
	if (!map || map->fd < 0)
		return libbpf_wasm_fail(EINVAL);
	return map->fd;
}

LIBBPF_WASM_API const char *bpf_map__name(const struct bpf_map *map)
{
	return map ? map->name : NULL;
}

/* Internal maps: the guest-side value buffer and its size; NULL for other maps. */
LIBBPF_WASM_API void *bpf_map__initial_value(struct bpf_map *map, size_t *psize)
{
	if (!map || !map->mmaped)
		return NULL;
	if (psize)
		*psize = map->mmaped_sz;
	return map->mmaped;
}

/* Replace an internal map's initial value before load; `size` must be the section size. */
LIBBPF_WASM_API int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size)
{
	if (!map || !map->mmaped || !data || size != map->mmaped_sz)
		return libbpf_wasm_fail(EINVAL);
	if (map->obj->handle)
		return libbpf_wasm_fail(EBUSY);
	memcpy(map->mmaped, data, size);
	return 0;
}

/* Internal map after load: copy the kernel's value (key 0) into the guest buffer `mmaped`. */
LIBBPF_WASM_API int bpf_map__sync_from_kernel(const struct bpf_map *map)
{
	uint32_t zero = 0;

	if (!map || !map->mmaped || map->fd < 0)
		return libbpf_wasm_fail(EINVAL);
	return libbpf_wasm_result(wasm_bpf_map_operate(map->fd, WASM_BPF_MAP_LOOKUP_ELEM, &zero,
						       map->mmaped, NULL, 0));
}

/* Internal map after load: write the guest buffer `mmaped` into the kernel's value (key 0). */
LIBBPF_WASM_API int bpf_map__sync_to_kernel(const struct bpf_map *map)
{
	uint32_t zero = 0;

	if (!map || !map->mmaped || map->fd < 0)
		return libbpf_wasm_fail(EINVAL);
	if (map->readonly)
		return libbpf_wasm_fail(EPERM);
	return libbpf_wasm_result(wasm_bpf_map_operate(map->fd, WASM_BPF_MAP_UPDATE_ELEM, &zero,
						       map->mmaped, NULL, BPF_ANY));
}

LIBBPF_WASM_API const char *bpf_program__name(const struct bpf_program *prog)
{
	return prog ? prog->name : NULL;
}

LIBBPF_WASM_API const char *bpf_program__section_name(const struct bpf_program *prog)
{
	return prog ? prog->sec_name : NULL;
}

/*
 * autoload=false: bpf_object__attach_skeleton() skips the program and bpf_program__attach()
 * refuses it. The host still loads it (the ABI loads whole objects), so it must still verify.
 */
LIBBPF_WASM_API int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	if (!prog)
		return libbpf_wasm_fail(EINVAL);
	if (prog->obj->handle)
		return libbpf_wasm_fail(EBUSY);
	prog->autoload = autoload;
	return 0;
}

LIBBPF_WASM_API bool bpf_program__autoload(const struct bpf_program *prog)
{
	return prog && prog->autoload;
}

/*
 * The attach target handed to the host at attach time: a cgroup directory, an interface name,
 * "binary:function" for uprobes (see the ABI spec). `attach_prog_fd` must be 0: the host has no
 * way to attach to another BPF program. NULL or "" restores auto-attach.
 */
LIBBPF_WASM_API int bpf_program__set_attach_target(struct bpf_program *prog, int attach_prog_fd,
						   const char *attach_func_name)
{
	char *copy = NULL;

	if (!prog || attach_prog_fd != 0)
		return libbpf_wasm_fail(EINVAL);
	if (attach_func_name && *attach_func_name) {
		copy = libbpf_wasm_strdup(attach_func_name);
		if (!copy)
			return libbpf_wasm_fail(ENOMEM);
	}
	free(prog->attach_target);
	prog->attach_target = copy;
	return 0;
}

/*
 * Upstream wasm-bpf's setter: the attach target (interface name for XDP, cgroup directory for
 * sockops/cgroup programs, …) used by X__attach(). Upstream returns nothing; an error (NULL prog,
 * no memory) leaves the target unchanged, and the attach then fails or auto-attaches.
 */
LIBBPF_WASM_API void bpf_set_prog_attach_target(struct bpf_program *prog, char *attach_target)
{
	(void)bpf_program__set_attach_target(prog, 0, attach_target);
}

/*
 * Attach through the host (section-driven, or to the target set above). Returns a link, or NULL
 * with errno set: EINVAL if the object is not loaded or the program has autoload off, EEXIST if
 * it is attached already, otherwise the host's error (EACCES for a target outside the allowed
 * paths, ENOENT for a missing interface or cgroup, …).
 */
LIBBPF_WASM_API struct bpf_link *bpf_program__attach(const struct bpf_program *cprog)
{
	struct bpf_program *prog = (struct bpf_program *)cprog;
	struct bpf_link *link;
	int err;

	if (!prog || !prog->obj->handle || !prog->autoload) {
		errno = EINVAL;
		return NULL;
	}
	if (prog->link) {
		errno = EEXIST;
		return NULL;
	}
	link = (struct bpf_link *)calloc(1, sizeof(*link));
	if (!link) {
		errno = ENOMEM;
		return NULL;
	}
	err = libbpf_wasm_result(
		wasm_attach_bpf_program(prog->obj->handle, prog->name, prog->attach_target));
	if (err < 0) {
		libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: attaching program '%s' (%s) failed: %s\n",
				prog->name, prog->sec_name, strerror(-err));
		free(link);
		errno = -err;
		return NULL;
	}
	link->prog = prog;
	prog->link = link;
	return link;
}

/*
 * Forget the link. The kernel link itself lives until bpf_object__close(): the host ABI has no
 * per-link detach, so the program keeps running until then.
 */
LIBBPF_WASM_API int bpf_link__destroy(struct bpf_link *link)
{
	if (!link)
		return 0;
	if (link->prog && link->prog->link == link)
		link->prog->link = NULL;
	free(link);
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Map element operations (libbpf's bpf.h names; the fd is any map fd of a loaded object)
 * ------------------------------------------------------------------------------------------ */

LIBBPF_WASM_API int bpf_map_lookup_elem_flags(int fd, const void *key, void *value, __u64 flags)
{
	return libbpf_wasm_result(wasm_bpf_map_operate(fd, WASM_BPF_MAP_LOOKUP_ELEM, (void *)key,
						       value, NULL, flags));
}

LIBBPF_WASM_API int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return bpf_map_lookup_elem_flags(fd, key, value, 0);
}

LIBBPF_WASM_API int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)
{
	return libbpf_wasm_result(wasm_bpf_map_operate(fd, WASM_BPF_MAP_UPDATE_ELEM, (void *)key,
						       (void *)value, NULL, flags));
}

LIBBPF_WASM_API int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags)
{
	return libbpf_wasm_result(wasm_bpf_map_operate(fd, WASM_BPF_MAP_DELETE_ELEM, (void *)key,
						       NULL, NULL, flags));
}

LIBBPF_WASM_API int bpf_map_delete_elem(int fd, const void *key)
{
	return bpf_map_delete_elem_flags(fd, key, 0);
}

/* `key` NULL starts from the first key; -ENOENT ends the iteration. */
LIBBPF_WASM_API int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	return libbpf_wasm_result(wasm_bpf_map_operate(fd, WASM_BPF_MAP_GET_NEXT_KEY, (void *)key,
						       NULL, next_key, 0));
}

#ifndef LIBBPF_WASM_MAX_CPUS
#define LIBBPF_WASM_MAX_CPUS 8192 /* the largest NR_CPUS a kernel can be built with */
#endif

/*
 * What libbpf_num_possible_cpus() answers natively, which a guest can't ask: the ABI has no call for
 * it and /sys/devices/system/cpu/possible is not visible. It is measured on a per-CPU map instead: a
 * lookup writes round_up(value_size, 8) bytes for each possible CPU, so two lookups over buffers
 * filled with 0x00 and 0xFF show how far the host wrote. `key` must exist in the map (any index of a
 * per-CPU array). The answer is kept for later calls. Negative errno on failure.
 */
LIBBPF_WASM_API int libbpf_wasm_num_possible_cpus(int percpu_map_fd, const void *key, size_t value_size)
{
	static int known;
	size_t stride = (value_size + 7) & ~(size_t)7;
	size_t size = stride * LIBBPF_WASM_MAX_CPUS, end;
	unsigned char *zeros, *ones;
	int err;

	if (known > 0)
		return known;
	if (value_size == 0 || value_size > 1024 * 1024)
		return -EINVAL;
	zeros = malloc(size);
	ones = malloc(size);
	if (!zeros || !ones) {
		free(zeros);
		free(ones);
		return -ENOMEM;
	}
	memset(zeros, 0x00, size);
	memset(ones, 0xFF, size);
	err = bpf_map_lookup_elem(percpu_map_fd, key, zeros);
	if (!err)
		err = bpf_map_lookup_elem(percpu_map_fd, key, ones);
	if (!err) {
		for (end = size; end > 0 && zeros[end - 1] == 0x00 && ones[end - 1] == 0xFF; end--)
			;
		if (end == 0)
			err = -EIO; /* nothing written: not a per-CPU map */
		else
			known = (int)((end + stride - 1) / stride);
	}
	free(zeros);
	free(ones);
	return err ? err : known;
}

/* Same operations addressed by struct bpf_map (libbpf 1.0 names; sizes are checked by the host). */
LIBBPF_WASM_API int bpf_map__lookup_elem(const struct bpf_map *map, const void *key,
					 size_t key_sz, void *value, size_t value_sz, __u64 flags)
{
	(void)key_sz;
	(void)value_sz;
	return bpf_map_lookup_elem_flags(bpf_map__fd(map), key, value, flags);
}

LIBBPF_WASM_API int bpf_map__update_elem(const struct bpf_map *map, const void *key,
					 size_t key_sz, const void *value, size_t value_sz,
					 __u64 flags)
{
	(void)key_sz;
	(void)value_sz;
	return bpf_map_update_elem(bpf_map__fd(map), key, value, flags);
}

LIBBPF_WASM_API int bpf_map__delete_elem(const struct bpf_map *map, const void *key,
					 size_t key_sz, __u64 flags)
{
	(void)key_sz;
	return bpf_map_delete_elem_flags(bpf_map__fd(map), key, flags);
}

LIBBPF_WASM_API int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
					  void *next_key, size_t key_sz)
{
	(void)key_sz;
	return bpf_map_get_next_key(bpf_map__fd(map), cur_key, next_key);
}

/* ---------------------------------------------------------------------------------------------
 * bpf_buffer: one API over ring buffers and perf event arrays (the host picks by map type)
 * ------------------------------------------------------------------------------------------ */

typedef int (*bpf_buffer_sample_fn)(void *ctx, void *data, size_t size);

struct bpf_buffer {
	struct bpf_map *events;
	bpf_buffer_sample_fn sample_cb;
	void *ctx;
	void *sample; /* the host copies each sample here before calling back */
	size_t sample_sz;
	int stopped_by_cb; /* set when sample_cb returned < 0, so poll can tell it from an errno */
	int cb_ret;
};

/*
 * `events` is a BPF_MAP_TYPE_RINGBUF or BPF_MAP_TYPE_PERF_EVENT_ARRAY map. `heap` is accepted for
 * source compatibility with libbpf-tools' compat.h and ignored. May be called before load.
 */
LIBBPF_WASM_API struct bpf_buffer *libbpf_wasm_buffer_new(struct bpf_map *events)
{
	struct bpf_buffer *buffer;

	if (!events) {
		errno = EINVAL;
		return NULL;
	}
	buffer = (struct bpf_buffer *)calloc(1, sizeof(*buffer));
	if (!buffer) {
		errno = ENOMEM;
		return NULL;
	}
	buffer->events = events;
	return buffer;
}

static inline struct bpf_buffer *libbpf_wasm_buffer_new_heap(struct bpf_map *events,
							     struct bpf_map *heap)
{
	(void)heap;
	return libbpf_wasm_buffer_new(events);
}

/*
 * bpf_buffer__new(events) is upstream wasm-bpf's form, bpf_buffer__new(events, heap) libbpf-tools'
 * compat.h form; both are accepted (dispatch on the argument count).
 */
#define LIBBPF_WASM_NEW_PICK(_1, _2, NAME, ...) NAME
#define bpf_buffer__new(...)                                                                   \
	LIBBPF_WASM_NEW_PICK(__VA_ARGS__, libbpf_wasm_buffer_new_heap, libbpf_wasm_buffer_new, )  \
	(__VA_ARGS__)

/* Called by the host through the function table; runs the user's callback and remembers a stop. */
LIBBPF_WASM_API int libbpf_wasm_buffer_trampoline(void *ctx, void *data, size_t size)
{
	struct bpf_buffer *buffer = (struct bpf_buffer *)ctx;
	int ret = buffer->sample_cb(buffer->ctx, data, size);

	if (ret < 0) {
		buffer->stopped_by_cb = 1;
		buffer->cb_ret = ret;
	}
	return ret;
}

LIBBPF_WASM_API int bpf_buffer__poll(struct bpf_buffer *buffer, int timeout_ms);

/*
 * Set the callback (called once per sample, in order) after the object is loaded, and create
 * the host's reader right away with a zero-timeout poll: a perf event array drops samples
 * until its reader exists (libbpf's perf_buffer__new opens it at once too). Samples already
 * waiting may therefore reach the callback from inside this call.
 */
LIBBPF_WASM_API int libbpf_wasm_buffer_open(struct bpf_buffer *buffer, bpf_buffer_sample_fn sample_cb,
					    void *ctx)
{
	int ret;

	if (!buffer || !sample_cb)
		return libbpf_wasm_fail(EINVAL);
	if (buffer->events->fd < 0)
		return libbpf_wasm_fail(EINVAL); /* the object is not loaded yet */
	if (!buffer->sample) {
		buffer->sample = malloc(LIBBPF_WASM_MAX_SAMPLE_SIZE);
		if (!buffer->sample)
			return libbpf_wasm_fail(ENOMEM);
		buffer->sample_sz = LIBBPF_WASM_MAX_SAMPLE_SIZE;
	}
	buffer->sample_cb = sample_cb;
	buffer->ctx = ctx;
	ret = bpf_buffer__poll(buffer, 0);
	return (ret < 0 && !buffer->stopped_by_cb) ? ret : 0;
}

LIBBPF_WASM_API void bpf_buffer__free(struct bpf_buffer *buffer);

/*
 * Upstream wasm-bpf's form: a new buffer over `events` (ring buffer or perf event array, which must
 * be loaded), its callback set and its host reader created at once, so a perf event array keeps the
 * samples that arrive before the first bpf_buffer__poll(). NULL with errno set on error.
 */
LIBBPF_WASM_API struct bpf_buffer *libbpf_wasm_buffer_new_open(struct bpf_map *events,
							       bpf_buffer_sample_fn sample_cb,
							       void *ctx)
{
	struct bpf_buffer *buffer = libbpf_wasm_buffer_new(events);
	int err;

	if (!buffer)
		return NULL;
	err = libbpf_wasm_buffer_open(buffer, sample_cb, ctx);
	if (err < 0) {
		bpf_buffer__free(buffer);
		errno = -err;
		return NULL;
	}
	return buffer;
}

/*
 * bpf_buffer__open(map, cb, ctx) -> struct bpf_buffer * is upstream wasm-bpf's form;
 * bpf_buffer__open(buffer, cb, ctx) -> int (0 or -errno) on a buffer from bpf_buffer__new() is
 * libbpf-tools' compat.h form. The first argument's type picks one.
 */
#define bpf_buffer__open(first, cb, ctx)                                                       \
	_Generic((first),                                                                      \
		struct bpf_map *: libbpf_wasm_buffer_new_open,                                 \
		default: libbpf_wasm_buffer_open)((first), (cb), (ctx))

/*
 * Wait up to `timeout_ms` (negative: forever) and deliver every available sample. Returns the
 * number of samples, the callback's own negative value if it stopped the poll, or -errno
 * (-EINTR when the host interrupted the wait).
 */
LIBBPF_WASM_API int bpf_buffer__poll(struct bpf_buffer *buffer, int timeout_ms)
{
	int ret;

	if (!buffer || !buffer->sample_cb)
		return libbpf_wasm_fail(EINVAL);
	buffer->stopped_by_cb = 0;
	ret = wasm_bpf_buffer_poll(buffer->events->obj->handle, buffer->events->fd,
				   WASM_BPF_TABLE_INDEX(libbpf_wasm_buffer_trampoline),
				   (uint32_t)(uintptr_t)buffer, (char *)buffer->sample,
				   (int)buffer->sample_sz, timeout_ms);
	if (ret < 0 && buffer->stopped_by_cb && ret == buffer->cb_ret)
		return ret;
	return libbpf_wasm_result(ret);
}

LIBBPF_WASM_API void bpf_buffer__free(struct bpf_buffer *buffer)
{
	if (!buffer)
		return;
	free(buffer->sample);
	free(buffer);
}

/* ---------------------------------------------------------------------------------------------
 * Skeletons: the same structures as libbpf 1.1 (libbpf.h), so `bpftool gen skeleton` output and
 * ours compile unchanged. Include this header as <bpf/libbpf.h> via sdk/c/bpf/libbpf.h.
 * ------------------------------------------------------------------------------------------ */

struct bpf_map_skeleton {
	const char *name;
	struct bpf_map **map;
	void **mmaped;
};

struct bpf_prog_skeleton {
	const char *name;
	struct bpf_program **prog;
	struct bpf_link **link;
};

struct bpf_object_skeleton {
	size_t sz; /* size of this struct, for forward/backward compatibility */

	const char *name;
	const void *data;
	size_t data_sz;

	struct bpf_object **obj;

	int map_cnt;
	int map_skel_sz; /* sizeof(struct bpf_map_skeleton) */
	struct bpf_map_skeleton *maps;

	int prog_cnt;
	int prog_skel_sz; /* sizeof(struct bpf_prog_skeleton) */
	struct bpf_prog_skeleton *progs;
};

/* Entries are addressed with the sizes the skeleton declares, as libbpf does, so a newer
 * generator that appends fields keeps working. */
LIBBPF_WASM_API struct bpf_map_skeleton *libbpf_wasm_skel_map(const struct bpf_object_skeleton *s,
							     int i)
{
	return (struct bpf_map_skeleton *)((char *)s->maps + (size_t)i * s->map_skel_sz);
}

LIBBPF_WASM_API struct bpf_prog_skeleton *libbpf_wasm_skel_prog(const struct bpf_object_skeleton *s,
							       int i)
{
	return (struct bpf_prog_skeleton *)((char *)s->progs + (size_t)i * s->prog_skel_sz);
}

/* Open the embedded ELF and fill in every map, program and `mmaped` pointer. 0 or -errno. */
LIBBPF_WASM_API int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					      const struct bpf_object_open_opts *opts)
{
	struct bpf_object_open_opts skel_opts = { sizeof(skel_opts), NULL };
	struct bpf_object *obj;
	int i;

	if (!s || !s->obj)
		return libbpf_wasm_fail(EINVAL);
	skel_opts.object_name = (opts && opts->object_name) ? opts->object_name : s->name;
	obj = bpf_object__open_mem(s->data, s->data_sz, &skel_opts);
	if (!obj)
		return -errno;
	*s->obj = obj;

	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = libbpf_wasm_skel_map(s, i);
		struct bpf_map *map = bpf_object__find_map_by_name(obj, ms->name);

		if (!map) {
			libbpf_wasm_log(LIBBPF_WARN, "libbpf-wasm: skeleton map '%s' not in the object\n",
					ms->name);
			return libbpf_wasm_fail(ESRCH);
		}
		*ms->map = map;
		if (ms->mmaped)
			*ms->mmaped = map->mmaped;
	}
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = libbpf_wasm_skel_prog(s, i);
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, ps->name);

		if (!prog) {
			libbpf_wasm_log(LIBBPF_WARN,
					"libbpf-wasm: skeleton program '%s' not in the object\n", ps->name);
			return libbpf_wasm_fail(ESRCH);
		}
		*ps->prog = prog;
	}
	return 0;
}

LIBBPF_WASM_API int bpf_object__load_skeleton(struct bpf_object_skeleton *s)
{
	if (!s || !s->obj || !*s->obj)
		return libbpf_wasm_fail(EINVAL);
	return bpf_object__load(*s->obj);
}

/*
 * Sections libbpf attaches without being told where; the rows come from the runtime's own section
 * table (wasm-bpf-sections.h), first match wins. Programs of other kinds (xdp, socket, cgroup/…,
 * tc …) need a target first.
 */
LIBBPF_WASM_API bool libbpf_wasm_can_auto_attach(const char *sec)
{
	size_t i;

	for (i = 0; i < sizeof(libbpf_wasm_sec_defs) / sizeof(libbpf_wasm_sec_defs[0]); i++) {
		const struct libbpf_wasm_sec_def *def = &libbpf_wasm_sec_defs[i];
		size_t len = strlen(def->pattern);
		bool match;

		switch (def->match) {
		case LIBBPF_WASM_SEC_PREFIX:
			match = strncmp(sec, def->pattern, len) == 0;
			break;
		case LIBBPF_WASM_SEC_EXACT:
			match = strcmp(sec, def->pattern) == 0;
			break;
		default:
			match = strncmp(sec, def->pattern, len) == 0 && (sec[len] == '\0' || sec[len] == '/');
			break;
		}
		if (match)
			return def->auto_attach;
	}
	return false;
}

/*
 * Attach every program that has autoload on and either an auto-attach section or a target set
 * with bpf_program__set_attach_target(). Stops at, and returns, the first error (-errno).
 */
LIBBPF_WASM_API int bpf_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	if (!s || !s->obj || !*s->obj || !(*s->obj)->handle)
		return libbpf_wasm_fail(EINVAL);
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = libbpf_wasm_skel_prog(s, i);
		struct bpf_program *prog = *ps->prog;
		struct bpf_link *link;

		if (!prog->autoload || prog->link)
			continue;
		if (!prog->attach_target && !libbpf_wasm_can_auto_attach(prog->sec_name))
			continue;
		link = bpf_program__attach(prog);
		if (!link)
			return -errno;
		if (ps->link)
			*ps->link = link;
	}
	return 0;
}

/* Forget the skeleton's links; the programs stay attached until destroy (see bpf_link__destroy). */
LIBBPF_WASM_API void bpf_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	if (!s || !s->progs)
		return;
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = libbpf_wasm_skel_prog(s, i);

		if (ps->link && *ps->link) {
			bpf_link__destroy(*ps->link);
			*ps->link = NULL;
		}
	}
}

/* Detach and close everything, then free the skeleton description itself. */
LIBBPF_WASM_API void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	if (!s)
		return;
	bpf_object__detach_skeleton(s);
	if (s->obj) {
		bpf_object__close(*s->obj);
		*s->obj = NULL;
	}
	free(s->maps);
	free(s->progs);
	free(s);
}

#ifdef __cplusplus
}
#endif

#endif /* LIBBPF_WASM_H */
