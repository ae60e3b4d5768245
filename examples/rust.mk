# Shared build of one Rust example (a cargo package next to this file's includer). Its Makefile
# sets APP (the package and module name), BPF_SRC (the BPF C source) and includes this file:
#
#   APP := rust-bootstrap
#   BPF_SRC := bootstrap.bpf.c
#   include ../rust.mk
#
# It builds $(OUT)/<stem>.bpf.o (clang -target bpf, CO-RE, against vmlinux.h), the Rust skeleton
# $(OUT)/<stem>.skel.rs (`gen skeleton --lang rust` of our toolchain), then the guest with
# Debian's cargo and rustc for wasm32-wasi, offline (the SDK, sdk/rust, is a path dependency and
# std is all it uses), and copies it to $(WASM_DIR)/$(APP).wasm. The package's Cargo.toml holds
# the size-tuned release profile; .cargo/config.toml exports the function table.
#
#   make [OUT=dir] [WASM_DIR=dir] [VMLINUX_H=file]
#
# Debian's /usr/bin/cargo and /usr/bin/rustc are called explicitly: a rustup toolchain first on
# PATH has no wasm32-wasi standard library.

HERE := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
REPO := $(abspath $(dir $(abspath $(lastword $(MAKEFILE_LIST))))/..)

OUT ?= $(HERE)/.output
override OUT := $(abspath $(OUT))
WASM_DIR ?= $(OUT)
override WASM_DIR := $(abspath $(WASM_DIR))
VMLINUX_H ?= $(OUT)/vmlinux.h

CLANG ?= clang
CARGO ?= /usr/bin/cargo
RUSTC ?= /usr/bin/rustc
LLVM_STRIP ?= $(firstword $(shell command -v llvm-strip llvm-strip-14 2>/dev/null))

include $(REPO)/examples/tool.mk

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' \
	-e 's/s390x/s390/' -e 's/riscv64/riscv/' -e 's/loongarch64/loongarch/')
# The C examples' BPF flags (common.mk): the Rust examples load the same kind of object.
BPF_CFLAGS := -O2 -g -Wall -target bpf -D__TARGET_ARCH_$(ARCH) -I$(dir $(VMLINUX_H)) -I$(OUT) \
	-I/usr/include/bpf -I$(HERE)

STEM := $(basename $(notdir $(BPF_SRC:.c=)))
SKEL_RS := $(OUT)/$(STEM).skel.rs
RUST_SOURCES := $(HERE)/Cargo.toml $(HERE)/Cargo.lock $(HERE)/.cargo/config.toml $(wildcard $(HERE)/src/*.rs) \
	$(REPO)/sdk/rust/Cargo.toml $(wildcard $(REPO)/sdk/rust/src/*.rs $(REPO)/sdk/rust/src/*/*.rs)

.PHONY: all clean
all: $(WASM_DIR)/$(APP).wasm

$(OUT) $(WASM_DIR):
	mkdir -p $@

# Made once by examples/Makefile for every example; here only when building this one alone.
$(OUT)/vmlinux.h: | $(OUT)
	$(MAKE) -f $(REPO)/examples/common.mk HERE=$(HERE) OUT=$(OUT) $@

$(OUT)/$(STEM).bpf.o: $(HERE)/$(BPF_SRC) $(VMLINUX_H) $(BPF_DEPS) | $(OUT)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(if $(LLVM_STRIP),$(LLVM_STRIP) -g $@)

$(SKEL_RS): $(OUT)/$(STEM).bpf.o
	$(WASM_BPF_TOOL) gen skeleton --lang rust $< -o $@.tmp
	mv $@.tmp $@

# The guest includes the skeleton from the path in WASM_BPF_SKEL (include!(env!(...))).
$(WASM_DIR)/$(APP).wasm: $(SKEL_RS) $(RUST_SOURCES) | $(WASM_DIR)
	cd $(HERE) && WASM_BPF_SKEL=$(SKEL_RS) RUSTC=$(RUSTC) CARGO_TARGET_DIR=$(OUT)/target \
		$(CARGO) build --offline --locked --quiet --release --target wasm32-wasi
	cp $(OUT)/target/wasm32-wasi/release/$(APP).wasm $@

clean:
	rm -rf $(HERE)/.output
	$(if $(filter-out $(HERE)/.output,$(OUT)),rm -rf $(OUT))
