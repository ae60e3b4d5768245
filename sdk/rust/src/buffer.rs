//! Ring buffer / perf event array polling with a Rust closure as the sample callback.
//!
//! The ABI calls back a guest *function table index* with an opaque `ctx`; this module owns the
//! one `extern "C"` trampoline the host calls, and passes the closure's address as `ctx`.

use crate::sys;
use crate::Errno;
use std::ops::ControlFlow;

/// Largest sample delivered whole by default; longer ones are truncated (the host's rule).
pub const DEFAULT_MAX_SAMPLE_SIZE: usize = 64 * 1024;

/// What a sample callback tells the poll: go on, or stop this poll after this sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

impl From<()> for Flow {
    fn from(_: ()) -> Flow {
        Flow::Continue
    }
}

impl<B> From<ControlFlow<B>> for Flow {
    fn from(c: ControlFlow<B>) -> Flow {
        match c {
            ControlFlow::Continue(_) => Flow::Continue,
            ControlFlow::Break(_) => Flow::Stop,
        }
    }
}

struct State<'a> {
    callback: Box<dyn FnMut(&[u8]) -> Flow + 'a>,
    delivered: usize,
    stopped: bool,
}

/// The callback the host calls for every sample: `ctx` is our `State`.
extern "C" fn trampoline(ctx: usize, data: usize, size: usize) -> i32 {
    // SAFETY: `ctx` is the address of the State boxed in the Buffer that is polling right now
    // (its `poll` holds `&mut self`, so nothing else touches it); `data` is that Buffer's sample
    // buffer, which the host filled with `size` bytes.
    let state = unsafe { &mut *(ctx as *mut State<'_>) };
    let sample = unsafe { std::slice::from_raw_parts(data as *const u8, size) };
    state.delivered += 1;
    match (state.callback)(sample) {
        Flow::Continue => 0,
        Flow::Stop => {
            state.stopped = true;
            -1
        }
    }
}

/// A ring buffer or perf event array of a loaded object, with its sample callback. Made by
/// [`crate::Object::buffer`]; borrows the object (and whatever the closure borrows).
pub struct Buffer<'a> {
    handle: u64,
    fd: i32,
    state: Box<State<'a>>,
    sample: Vec<u8>,
}

impl<'a> Buffer<'a> {
    /// Creates the host's reader at once with a zero-timeout poll: a perf event array drops
    /// samples until its reader exists. Samples already waiting reach the callback from here.
    pub(crate) fn open<F, R>(handle: u64, fd: i32, max_sample_size: usize, mut callback: F) -> Result<Buffer<'a>, Errno>
    where
        F: FnMut(&[u8]) -> R + 'a,
        R: Into<Flow>,
    {
        let mut buffer = Buffer {
            handle,
            fd,
            state: Box::new(State { callback: Box::new(move |s: &[u8]| callback(s).into()), delivered: 0, stopped: false }),
            sample: vec![0; max_sample_size.max(1)],
        };
        buffer.poll(0)?;
        Ok(buffer)
    }

    pub fn fd(&self) -> i32 {
        self.fd
    }

    /// Waits up to `timeout_ms` (negative: forever) and calls the closure for every sample, in
    /// order. Returns how many it delivered (a `Flow::Stop` ends the poll early: still `Ok`),
    /// or the host's errno (`EINTR` when the wait was interrupted).
    pub fn poll(&mut self, timeout_ms: i32) -> Result<usize, Errno> {
        self.state.delivered = 0;
        self.state.stopped = false;
        let ctx = &mut *self.state as *mut State<'a> as usize;
        let len = self.sample.len();
        let r = sys::buffer_poll(self.handle, self.fd, trampoline, ctx, self.sample.as_mut_ptr(), len, timeout_ms);
        if r == -1 && self.state.stopped {
            return Ok(self.state.delivered);
        }
        Errno::check(r).map(|n| n as usize)
    }
}
