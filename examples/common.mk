# Shared build of one example, libbpf-bootstrap style. An example's Makefile sets APP (and optionally
# EXTRA_TARGETS, built alongside) and includes this file:
#
#   APP := bootstrap
#   include ../common.mk
#
# It builds $(OUT)/$(APP).bpf.o (clang -target bpf, CO-RE, against vmlinux.h), the skeleton
# $(OUT)/$(APP).skel.h and the guest $(WASM_DIR)/$(APP).wasm (clang --target=wasm32-wasi).
#
#   make [OUT=dir] [WASM_DIR=dir] [VMLINUX_H=file] [SKEL=tool|bpftool] [VMLINUX=tool|bpftool]
#
# vmlinux.h and the skeleton come from the project's own toolchain (the btf module's ToolMain) by
# default; `bpftool` selects Debian's bpftool instead.

# HERE is the example's folder (its Makefile is read first); the repository is found from this file.
HERE := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
REPO := $(abspath $(dir $(abspath $(lastword $(MAKEFILE_LIST))))/..)
SDK := $(REPO)/sdk/c

OUT ?= $(HERE)/.output
override OUT := $(abspath $(OUT))
WASM_DIR ?= $(OUT)
override WASM_DIR := $(abspath $(WASM_DIR))
VMLINUX_H ?= $(OUT)/vmlinux.h

CLANG ?= clang
BPFTOOL ?= bpftool
WASI_SYSROOT ?= /usr
LLVM_STRIP ?= $(firstword $(shell command -v llvm-strip llvm-strip-14 2>/dev/null))

include $(REPO)/examples/tool.mk

SKEL ?= tool
VMLINUX ?= tool
ifeq ($(VMLINUX),tool)
VMLINUX_GEN := $(WASM_BPF_TOOL) btf dump file /sys/kernel/btf/vmlinux format c
else
VMLINUX_GEN := $(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c
endif
ifeq ($(SKEL),tool)
SKEL_GEN := $(WASM_BPF_TOOL) gen skeleton
else
SKEL_GEN := $(BPFTOOL) gen skeleton
endif

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' \
	-e 's/s390x/s390/' -e 's/riscv64/riscv/' -e 's/loongarch64/loongarch/')

BPF_CFLAGS := -O2 -g -Wall -target bpf -D__TARGET_ARCH_$(ARCH) -I$(dir $(VMLINUX_H)) -I$(OUT) \
	-I/usr/include/bpf -I$(HERE)
# -I$(SDK) also makes the skeleton's <bpf/libbpf.h> resolve to the wasm SDK.
WASM_CFLAGS := --target=wasm32-wasi --sysroot=$(WASI_SYSROOT) -O2 -Wall -Wextra \
	-Werror=incompatible-pointer-types -Werror=int-conversion -Werror=implicit-function-declaration \
	-I$(SDK) -I$(HERE) -I$(OUT)
# The host calls the buffer callback through the exported __indirect_function_table.
# --strip-debug drops the DWARF sections (~150 KB of bootstrap's 230 KB) and keeps the `name` section that
# Wasm stack traces use; the code itself is unchanged, so it costs no speed (bootstrap: 230 → 81 KB).
WASM_LDFLAGS := -Wl,--export-table -Wl,--strip-debug

APP_HEADERS := $(wildcard $(HERE)/*.h)

.PHONY: all clean
all: $(WASM_DIR)/$(APP).wasm $(EXTRA_TARGETS)

$(OUT) $(WASM_DIR):
	mkdir -p $@

$(OUT)/vmlinux.h: | $(OUT)
	$(VMLINUX_GEN) > $@.tmp
	mv $@.tmp $@

$(OUT)/$(APP).bpf.o: $(HERE)/$(APP).bpf.c $(APP_HEADERS) $(VMLINUX_H) | $(OUT)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(if $(LLVM_STRIP),$(LLVM_STRIP) -g $@)

# The skeleton is regenerated when SKEL changes, via the stamp.
$(OUT)/skel.$(SKEL): | $(OUT)
	rm -f $(OUT)/skel.*
	touch $@

$(OUT)/$(APP).skel.h: $(OUT)/$(APP).bpf.o $(OUT)/skel.$(SKEL)
	$(SKEL_GEN) $< > $@.tmp
	mv $@.tmp $@

$(WASM_DIR)/$(APP).wasm: $(HERE)/$(APP).c $(APP_HEADERS) $(OUT)/$(APP).skel.h \
		$(SDK)/libbpf-wasm.h $(SDK)/wasm-bpf.h $(SDK)/wasm-bpf-sections.h | $(WASM_DIR)
	$(CLANG) $(WASM_CFLAGS) $< -o $@ $(WASM_LDFLAGS)

clean:
	rm -rf $(HERE)/.output
	$(if $(filter-out $(HERE)/.output,$(OUT)),rm -rf $(OUT))
