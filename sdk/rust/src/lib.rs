//! Rust guest SDK for the wasm-bpf runtime (std only): what `sdk/c/libbpf-wasm.h` gives C
//! guests, in Rust terms.
//!
//! ```no_run
//! use wasm_bpf::{from_bytes, Errno, OpenObject};
//!
//! fn run(object: &[u8]) -> Result<(), Errno> {
//!     let mut open = OpenObject::open(object)?;
//!     open.global_bytes_mut(".rodata")?[..8].copy_from_slice(&1_000_000u64.to_ne_bytes());
//!     let obj = open.load()?;          // closed (programs detached) when dropped
//!     obj.attach_all()?;
//!     let mut rb = obj.buffer("rb", |sample: &[u8]| {
//!         let pid: u32 = from_bytes(sample).unwrap_or(0);
//!         println!("pid {}", pid);
//!     })?;
//!     loop {
//!         match rb.poll(100) {
//!             Ok(_) => {}
//!             Err(Errno::EINTR) => return Ok(()),
//!             Err(e) => return Err(e),
//!         }
//!     }
//! }
//! ```
//!
//! Build guests for `wasm32-wasi` and export the function table (the host calls sample
//! callbacks through it): `-C link-arg=--export-table`. See README.md.
//!
//! Errors are [`Errno`]s carrying the host's **Linux** errno numbers and names.

mod buffer;
mod elf;
mod errno;
mod map;
mod object;
mod plain;
mod sections;
mod sys;

pub use buffer::{Buffer, Flow, DEFAULT_MAX_SAMPLE_SIZE};
pub use elf::ProgramInfo;
pub use errno::Errno;
pub use map::{Keys, Map, UpdateFlags};
pub use object::{Object, OpenObject};
pub use plain::{bytes_of, from_bytes, Plain};

/// The in-process fake host the unit tests run against (not on wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) use sys::fake;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
