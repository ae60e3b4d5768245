//! An in-process stand-in for the host, per thread, used by the unit tests on the build
//! machine's target. It keeps what a test needs to check the SDK's side of the contract: the
//! bytes handed to load, attach calls, hash maps with fixed key/value sizes, queued samples.
//! It checks buffer lengths the way the real host checks memory ranges.

use super::SampleFn;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::CStr;

#[derive(Default)]
pub struct FakeMap {
    pub name: String,
    pub key_size: usize,
    pub value_size: usize,
    pub entries: BTreeMap<Vec<u8>, Vec<u8>>,
    pub samples: Vec<Vec<u8>>,
}

#[derive(Default)]
pub struct FakeHost {
    /// The ELF of each load, in order; the handle is the index + 1.
    pub loaded: Vec<Vec<u8>>,
    pub closed: Vec<u64>,
    /// (handle, program, target) of every attach.
    pub attached: Vec<(u64, String, Option<String>)>,
    /// Maps by fd (fd = index + 3).
    pub maps: Vec<FakeMap>,
    /// When set, the next load fails (returns 0).
    pub fail_load: bool,
    /// Error returned by the next attach, when set.
    pub attach_error: Option<i32>,
}

thread_local! {
    pub static HOST: RefCell<FakeHost> = RefCell::new(FakeHost::default());
}

/// Run `f` on this thread's fake host.
pub fn with<R>(f: impl FnOnce(&mut FakeHost) -> R) -> R {
    HOST.with(|h| f(&mut h.borrow_mut()))
}

impl FakeHost {
    pub fn add_map(&mut self, name: &str, key_size: usize, value_size: usize) -> i32 {
        self.maps.push(FakeMap { name: name.to_string(), key_size, value_size, ..FakeMap::default() });
        self.maps.len() as i32 + 2
    }

    pub fn map(&mut self, fd: i32) -> Option<&mut FakeMap> {
        usize::try_from(fd - 3).ok().and_then(move |i| self.maps.get_mut(i))
    }
}

pub fn load(elf: &[u8]) -> u64 {
    with(|h| {
        if std::mem::take(&mut h.fail_load) {
            return 0;
        }
        h.loaded.push(elf.to_vec());
        h.loaded.len() as u64
    })
}

pub fn attach(obj: u64, name: &CStr, target: Option<&CStr>) -> i32 {
    with(|h| {
        if let Some(e) = h.attach_error.take() {
            return e;
        }
        let target = target.map(|t| t.to_string_lossy().into_owned());
        h.attached.push((obj, name.to_string_lossy().into_owned(), target));
        0
    })
}

pub fn map_fd(obj: u64, name: &CStr) -> i32 {
    with(|h| {
        if obj == 0 || obj as usize > h.loaded.len() {
            return -22;
        }
        let name = name.to_string_lossy();
        h.maps.iter().position(|m| m.name == name).map_or(-2, |i| i as i32 + 3)
    })
}

/// Reads and writes exactly the map's sizes through the raw pointers, as the host does.
pub fn map_operate(fd: i32, cmd: i32, key: *const u8, value: *mut u8, next_key: *mut u8, flags: u64) -> i32 {
    with(|h| {
        let map = match h.map(fd) {
            Some(m) => m,
            None => return -9,
        };
        let read = |p: *const u8, n: usize| unsafe { std::slice::from_raw_parts(p, n).to_vec() };
        match cmd {
            super::MAP_LOOKUP_ELEM => match map.entries.get(&read(key, map.key_size)) {
                Some(v) => {
                    unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), value, v.len()) };
                    0
                }
                None => -2,
            },
            super::MAP_UPDATE_ELEM => {
                let k = read(key, map.key_size);
                let exists = map.entries.contains_key(&k);
                if (flags == 1 && exists) || (flags == 2 && !exists) {
                    return if exists { -17 } else { -2 };
                }
                let v = read(value, map.value_size);
                map.entries.insert(k, v);
                0
            }
            super::MAP_DELETE_ELEM => map.entries.remove(&read(key, map.key_size)).map_or(-2, |_| 0),
            super::MAP_GET_NEXT_KEY => {
                let next = if key.is_null() {
                    map.entries.keys().next().cloned()
                } else {
                    let k = read(key, map.key_size);
                    map.entries.range(k..).map(|(k, _)| k.clone()).find(|c| *c != read(key, map.key_size))
                };
                match next {
                    Some(k) => {
                        unsafe { std::ptr::copy_nonoverlapping(k.as_ptr(), next_key, k.len()) };
                        0
                    }
                    None => -2,
                }
            }
            _ => -22,
        }
    })
}

/// Delivers every queued sample: copy (truncated) into `data`, then call back, stopping at a
/// negative callback result, which is returned — as the host does.
pub fn buffer_poll(obj: u64, fd: i32, cb: SampleFn, ctx: usize, data: *mut u8, len: usize, _timeout_ms: i32) -> i32 {
    let samples = with(|h| {
        if obj == 0 || obj as usize > h.loaded.len() || h.closed.contains(&obj) {
            return Err(-22);
        }
        h.map(fd).map(|m| std::mem::take(&mut m.samples)).ok_or(-9)
    });
    let samples = match samples {
        Ok(s) => s,
        Err(e) => return e,
    };
    let mut delivered = 0;
    for s in samples {
        let n = s.len().min(len);
        unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), data, n) };
        // The fake host is not borrowed here, so the callback may call back into it (as a
        // guest may call map operations from a sample callback).
        let r = cb(ctx, data as usize, n);
        if r < 0 {
            return r;
        }
        delivered += 1;
    }
    delivered
}

pub fn close(obj: u64) -> i32 {
    with(|h| {
        if obj == 0 || obj as usize > h.loaded.len() || h.closed.contains(&obj) {
            return -22;
        }
        h.closed.push(obj);
        0
    })
}
