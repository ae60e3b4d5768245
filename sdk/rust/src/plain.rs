//! Values that may be copied to and from raw bytes: map keys and values, samples, globals.

/// A type every bit pattern of which is a valid value, with no pointers or padding that
/// matters: integers, floats, arrays of them, and `#[repr(C)]`/`#[repr(C, packed)]` structs of
/// such fields (what `wasm-bpf btf dump ... format rust` writes, with this impl).
///
/// # Safety
/// Implement only for types where any byte string of `size_of::<Self>()` bytes is a valid
/// value (so no `bool`, `char`, enums, references or `NonZero*`).
pub unsafe trait Plain: Copy + 'static {}

macro_rules! plain {
    ($($t:ty),*) => { $(unsafe impl Plain for $t {})* };
}
plain!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, f32, f64, usize, isize);
unsafe impl<T: Plain, const N: usize> Plain for [T; N] {}

/// The bytes of a value (for map keys and values).
pub fn bytes_of<T: Plain>(value: &T) -> &[u8] {
    // SAFETY: T is Plain, so reading its bytes is reading initialised integers.
    unsafe { std::slice::from_raw_parts(value as *const T as *const u8, std::mem::size_of::<T>()) }
}

/// The bytes of a value, writable (the host fills them).
pub(crate) fn bytes_of_mut<T: Plain>(value: &mut T) -> &mut [u8] {
    // SAFETY: any bytes written make a valid T (Plain).
    unsafe { std::slice::from_raw_parts_mut(value as *mut T as *mut u8, std::mem::size_of::<T>()) }
}

/// A zeroed value.
pub(crate) fn zeroed<T: Plain>() -> T {
    // SAFETY: all-zero bytes are a valid T (Plain).
    unsafe { std::mem::zeroed() }
}

/// Copies a `T` out of the front of `bytes` (any alignment), or `None` when it is too short.
/// Typical use: `let e: Event = wasm_bpf::from_bytes(sample)?;` in a ring buffer callback.
pub fn from_bytes<T: Plain>(bytes: &[u8]) -> Option<T> {
    if bytes.len() < std::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: long enough, read_unaligned copes with any alignment, T is Plain.
    Some(unsafe { std::ptr::read_unaligned(bytes.as_ptr() as *const T) })
}

/// A `&mut T` over the front of `bytes`: `T` must have alignment 1 (a packed struct, as the
/// generated ones are) and fit. Used for `.rodata`/`.data`/`.bss` before load.
pub(crate) fn view_mut<T: Plain>(bytes: &mut [u8]) -> Option<&mut T> {
    if std::mem::align_of::<T>() != 1 || bytes.len() < std::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: size and alignment checked, T is Plain.
    Some(unsafe { &mut *(bytes.as_mut_ptr() as *mut T) })
}
