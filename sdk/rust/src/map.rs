//! Map element operations by fd, typed (`Plain` keys and values) or over raw bytes.

use crate::plain::{bytes_of, bytes_of_mut, zeroed, Plain};
use crate::sys;
use crate::Errno;
use std::marker::PhantomData;

/// Update flags (`<linux/bpf.h>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum UpdateFlags {
    /// Create or replace.
    Any = 0,
    /// Create only: `EEXIST` if the key is there.
    NoExist = 1,
    /// Replace only: `ENOENT` if the key is missing.
    Exist = 2,
    /// Update under the value's spin lock.
    Lock = 4,
}

/// A map of a loaded object. It borrows the object, so it cannot outlive it.
///
/// The host reads and writes as many bytes as the *map* says (its key and value sizes), not as
/// the buffers passed here hold. When the sizes are known (from a skeleton, or [`Map::with_sizes`])
/// every operation checks its buffers against them and fails with `EINVAL` rather than let the
/// host write past a value. When they are not, the caller's types are trusted, as with libbpf's
/// fd-based calls.
#[derive(Clone, Copy, Debug)]
pub struct Map<'obj> {
    fd: i32,
    key_size: Option<usize>,
    value_size: Option<usize>,
    _object: PhantomData<&'obj ()>,
}

impl<'obj> Map<'obj> {
    pub(crate) fn new(fd: i32) -> Map<'obj> {
        Map { fd, key_size: None, value_size: None, _object: PhantomData }
    }

    /// The same map with its key and value sizes declared (what the BPF side says), so that
    /// every operation is checked against them.
    pub fn with_sizes(self, key_size: usize, value_size: usize) -> Map<'obj> {
        Map { key_size: Some(key_size), value_size: Some(value_size), ..self }
    }

    pub fn fd(&self) -> i32 {
        self.fd
    }

    pub fn key_size(&self) -> Option<usize> {
        self.key_size
    }

    pub fn value_size(&self) -> Option<usize> {
        self.value_size
    }

    fn check(declared: Option<usize>, len: usize) -> Result<(), Errno> {
        match declared {
            Some(n) if n != len => Err(Errno::EINVAL),
            _ => Ok(()),
        }
    }

    /// Look up `key` into `value`: `Ok(false)` when the key is missing.
    pub fn lookup_bytes(&self, key: &[u8], value: &mut [u8]) -> Result<bool, Errno> {
        Self::check(self.key_size, key.len())?;
        Self::check(self.value_size, value.len())?;
        let r = sys::map_operate(self.fd, sys::MAP_LOOKUP_ELEM, key.as_ptr(), value.as_mut_ptr(), std::ptr::null_mut(), 0);
        missing_is_none(r).map(|found| found.is_some())
    }

    /// Set `key` to `value`.
    pub fn update_bytes(&self, key: &[u8], value: &[u8], flags: UpdateFlags) -> Result<(), Errno> {
        Self::check(self.key_size, key.len())?;
        Self::check(self.value_size, value.len())?;
        let r = sys::map_operate(self.fd, sys::MAP_UPDATE_ELEM, key.as_ptr(), value.as_ptr() as *mut u8, std::ptr::null_mut(), flags as u64);
        Errno::check(r).map(|_| ())
    }

    /// Delete `key`: `Ok(false)` when it was not there.
    pub fn delete_bytes(&self, key: &[u8]) -> Result<bool, Errno> {
        Self::check(self.key_size, key.len())?;
        let r = sys::map_operate(self.fd, sys::MAP_DELETE_ELEM, key.as_ptr(), std::ptr::null_mut(), std::ptr::null_mut(), 0);
        missing_is_none(r).map(|found| found.is_some())
    }

    /// The key after `key` (the first key for `None`) into `next`: `Ok(false)` at the end.
    pub fn next_key_bytes(&self, key: Option<&[u8]>, next: &mut [u8]) -> Result<bool, Errno> {
        if let Some(k) = key {
            Self::check(Some(next.len()), k.len())?;
        }
        Self::check(self.key_size, next.len())?;
        let key = key.map_or(std::ptr::null(), |k| k.as_ptr());
        let r = sys::map_operate(self.fd, sys::MAP_GET_NEXT_KEY, key, std::ptr::null_mut(), next.as_mut_ptr(), 0);
        missing_is_none(r).map(|found| found.is_some())
    }

    /// The value of `key`, or `None` when missing.
    pub fn lookup<K: Plain, V: Plain>(&self, key: &K) -> Result<Option<V>, Errno> {
        let mut value: V = zeroed();
        Ok(if self.lookup_bytes(bytes_of(key), bytes_of_mut(&mut value))? { Some(value) } else { None })
    }

    /// Set `key` to `value` with `UpdateFlags::Any`.
    pub fn update<K: Plain, V: Plain>(&self, key: &K, value: &V) -> Result<(), Errno> {
        self.update_bytes(bytes_of(key), bytes_of(value), UpdateFlags::Any)
    }

    /// Set `key` to `value` with the given flags.
    pub fn update_with<K: Plain, V: Plain>(&self, key: &K, value: &V, flags: UpdateFlags) -> Result<(), Errno> {
        self.update_bytes(bytes_of(key), bytes_of(value), flags)
    }

    /// Delete `key`: `Ok(false)` when it was not there.
    pub fn delete<K: Plain>(&self, key: &K) -> Result<bool, Errno> {
        self.delete_bytes(bytes_of(key))
    }

    /// The key after `key` (the first one for `None`), or `None` at the end.
    pub fn next_key<K: Plain>(&self, key: Option<&K>) -> Result<Option<K>, Errno> {
        let mut next: K = zeroed();
        Ok(if self.next_key_bytes(key.map(bytes_of), bytes_of_mut(&mut next))? { Some(next) } else { None })
    }

    /// Every key, by get-next-key from the start. Keys deleted or added meanwhile follow the
    /// kernel's rules for hash map iteration (a deleted current key restarts from the first).
    pub fn keys<K: Plain>(&self) -> Keys<'_, 'obj, K> {
        Keys { map: self, last: None, done: false }
    }
}

/// `-ENOENT` is an answer ("not there"), not an error.
fn missing_is_none(ret: i32) -> Result<Option<()>, Errno> {
    match Errno::check(ret) {
        Ok(_) => Ok(Some(())),
        Err(Errno::ENOENT) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Iterator of [`Map::keys`]: `Result` items, ending after the last key or the first error.
pub struct Keys<'m, 'obj, K: Plain> {
    map: &'m Map<'obj>,
    last: Option<K>,
    done: bool,
}

impl<'m, 'obj, K: Plain> Iterator for Keys<'m, 'obj, K> {
    type Item = Result<K, Errno>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.map.next_key(self.last.as_ref()) {
            Ok(Some(k)) => {
                self.last = Some(k);
                Some(Ok(k))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
