// SPDX-License-Identifier: Apache-2.0
//! A complete minimal guest (the one in README.md): counts execs with tests/testobj.bpf.c, whose
//! `handle_exec` adds the .rodata constant `src_key` to the .bss counter `exec_seen` on every exec.
//!
//!   clang -O2 -g -target bpf -c tests/testobj.bpf.c -o /tmp/testobj.bpf.o
//!   WASM_BPF_OBJ=/tmp/testobj.bpf.o cargo build --offline --release --target wasm32-wasi --example minimal
//!   wasm-bpf target/wasm32-wasi/release/examples/minimal.wasm
//!
//! (`make -C sdk/rust check` builds it the same way.)

use std::{thread, time::Duration};
use wasm_bpf::{Errno, OpenObject};

static OBJECT: &[u8] = include_bytes!(env!("WASM_BPF_OBJ"));

fn main() -> Result<(), Errno> {
    let mut open = OpenObject::open(OBJECT)?;
    // .rodata is patched before load: the verifier sees the final constant (u32 src_key at 0).
    open.global_bytes_mut(".rodata")?[..4].copy_from_slice(&1u32.to_ne_bytes());
    let obj = open.load()?; // programs verified; everything is released when `obj` is dropped
    obj.attach_all()?; // tp/sched/sched_process_exec needs no target
    println!("counting execs");

    for _ in 0..3 {
        thread::sleep(Duration::from_secs(1));
        // No shared mmap across the Wasm boundary: .bss is read with a map lookup.
        let seen: u64 = obj.read_global(".bss")?;
        println!("execs seen: {}", seen);
    }
    Ok(())
}
