//! The six imports of module `wasm_bpf` (shared/spec/wasm-bpf-abi.md), behind a thin safe-ish
//! layer that takes Rust pointers. On wasm32 they are the host's functions; on any other target
//! (where `cargo test` runs) they are an in-process fake host (`fake`), so everything above this
//! module can be unit-tested without a kernel.

/// The sample callback the host calls as `(ctx, data, size) -> i32`. On wasm32 `usize` is the
/// i32 the ABI passes, and a function pointer *is* its index in the function table.
pub(crate) type SampleFn = extern "C" fn(ctx: usize, data: usize, size: usize) -> i32;

pub(crate) const MAP_LOOKUP_ELEM: i32 = 1;
pub(crate) const MAP_UPDATE_ELEM: i32 = 2;
pub(crate) const MAP_DELETE_ELEM: i32 = 3;
pub(crate) const MAP_GET_NEXT_KEY: i32 = 4;

#[cfg(target_arch = "wasm32")]
mod imports {
    #[link(wasm_import_module = "wasm_bpf")]
    extern "C" {
        pub fn wasm_load_bpf_object(obj_buf: *const u8, obj_buf_sz: i32) -> u64;
        pub fn wasm_attach_bpf_program(obj: u64, name: *const u8, attach_target: *const u8) -> i32;
        pub fn wasm_bpf_map_fd_by_name(obj: u64, name: *const u8) -> i32;
        pub fn wasm_bpf_map_operate(fd: i32, cmd: i32, key: *const u8, value: *mut u8, next_key: *mut u8, flags: u64) -> i32;
        pub fn wasm_bpf_buffer_poll(obj: u64, fd: i32, sample_func: i32, ctx: u32, data: *mut u8, max_size: i32, timeout_ms: i32) -> i32;
        pub fn wasm_close_bpf_object(obj: u64) -> i32;
    }
}

#[cfg(target_arch = "wasm32")]
mod host {
    use super::imports::*;
    use super::SampleFn;
    use std::ffi::CStr;

    pub fn load(elf: &[u8]) -> u64 {
        if elf.len() > i32::MAX as usize {
            return 0;
        }
        unsafe { wasm_load_bpf_object(elf.as_ptr(), elf.len() as i32) }
    }

    pub fn attach(obj: u64, name: &CStr, target: Option<&CStr>) -> i32 {
        let target = target.map_or(std::ptr::null(), |t| t.as_ptr() as *const u8);
        unsafe { wasm_attach_bpf_program(obj, name.as_ptr() as *const u8, target) }
    }

    pub fn map_fd(obj: u64, name: &CStr) -> i32 {
        unsafe { wasm_bpf_map_fd_by_name(obj, name.as_ptr() as *const u8) }
    }

    pub fn map_operate(fd: i32, cmd: i32, key: *const u8, value: *mut u8, next_key: *mut u8, flags: u64) -> i32 {
        unsafe { wasm_bpf_map_operate(fd, cmd, key, value, next_key, flags) }
    }

    /// `data` is passed raw: the callback reads the sample through it while this call runs.
    pub fn buffer_poll(obj: u64, fd: i32, cb: SampleFn, ctx: usize, data: *mut u8, len: usize, timeout_ms: i32) -> i32 {
        // The table index of `cb` (the module must export its table: see the README).
        let index = cb as usize as i32;
        let max = len.min(i32::MAX as usize) as i32;
        unsafe { wasm_bpf_buffer_poll(obj, fd, index, ctx as u32, data, max, timeout_ms) }
    }

    pub fn close(obj: u64) -> i32 {
        unsafe { wasm_close_bpf_object(obj) }
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use host::*;

// Only the tests drive the fake host directly; the SDK itself uses the six functions.
#[cfg(not(target_arch = "wasm32"))]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod fake;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use fake::{attach, buffer_poll, close, load, map_fd, map_operate};
