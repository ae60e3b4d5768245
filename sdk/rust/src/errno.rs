//! Errors of the host ABI: the host speaks **Linux** errno (ENOENT = 2), whatever the guest's
//! libc says (wasi-libc's ENOENT is 44). `Errno` keeps the Linux value and knows its name, so
//! `err == Errno::ENOENT` and `println!("{err}")` mean what they say.

use std::fmt;

/// A Linux errno returned (negated) by a `wasm_bpf` host function.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(i32);

macro_rules! errnos {
    ($($name:ident = $value:expr, $text:expr;)*) => {
        impl Errno {
            $(pub const $name: Errno = Errno($value);)*

            /// The symbolic name (`"ENOENT"`), or `None` for a value this table does not know.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }

            /// strerror()'s text for the value, as glibc words it.
            pub fn description(self) -> &'static str {
                match self.0 {
                    $($value => $text,)*
                    _ => "Unknown error",
                }
            }
        }
    };
}

// include/uapi/asm-generic/errno-base.h and errno.h (x86-64 and arm64 share these numbers).
errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "Input/output error";
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    EXDEV = 18, "Invalid cross-device link";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "Too many open files in system";
    EMFILE = 24, "Too many open files";
    ENOTTY = 25, "Inappropriate ioctl for device";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EPIPE = 32, "Broken pipe";
    ERANGE = 34, "Numerical result out of range";
    EDEADLK = 35, "Resource deadlock avoided";
    ENAMETOOLONG = 36, "File name too long";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    ENOMSG = 42, "No message of desired type";
    EPROTO = 71, "Protocol error";
    EOVERFLOW = 75, "Value too large for defined data type";
    ENOTSOCK = 88, "Socket operation on non-socket";
    EMSGSIZE = 90, "Message too long";
    EOPNOTSUPP = 95, "Operation not supported";
    EAFNOSUPPORT = 97, "Address family not supported by protocol";
    EADDRINUSE = 98, "Address already in use";
    ENETDOWN = 100, "Network is down";
    ENOBUFS = 105, "No buffer space available";
    ETIMEDOUT = 110, "Connection timed out";
    ECANCELED = 125, "Operation canceled";
    ENOTSUPP = 524, "Operation is not supported (kernel-internal ENOTSUPP)";
}

impl Errno {
    /// An errno from its (positive) Linux number.
    pub const fn from_raw(linux_errno: i32) -> Errno {
        Errno(linux_errno)
    }

    /// The positive Linux number.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// A host return value: `>= 0` is success, `-errno` an error. A positive errno (which some
    /// upstream runtimes returned) cannot be told from a count, so it is taken as success, as
    /// the ABI says results are.
    pub(crate) fn check(ret: i32) -> Result<u32, Errno> {
        if ret >= 0 {
            Ok(ret as u32)
        } else {
            // i32::MIN has no positive counterpart: report it as EIO rather than overflow.
            Err(Errno(ret.checked_neg().unwrap_or(Errno::EIO.0)))
        }
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{}", name),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({})", name, self.description()),
            None => write!(f, "errno {}", self.0),
        }
    }
}

impl std::error::Error for Errno {}

/// For `?` in functions returning `io::Result`: the kind follows the errno where std has one.
impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> std::io::Error {
        use std::io::ErrorKind;
        let kind = match e {
            Errno::ENOENT => ErrorKind::NotFound,
            Errno::EPERM | Errno::EACCES => ErrorKind::PermissionDenied,
            Errno::EEXIST => ErrorKind::AlreadyExists,
            Errno::EINVAL => ErrorKind::InvalidInput,
            Errno::EINTR => ErrorKind::Interrupted,
            Errno::EAGAIN => ErrorKind::WouldBlock,
            Errno::ETIMEDOUT => ErrorKind::TimedOut,
            Errno::ENOMEM => ErrorKind::OutOfMemory,
            Errno::EOPNOTSUPP | Errno::ENOTSUPP => ErrorKind::Unsupported,
            _ => ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_returns_map_to_linux_names() {
        assert_eq!(Errno::check(3), Ok(3));
        assert_eq!(Errno::check(0), Ok(0));
        assert_eq!(Errno::check(-2), Err(Errno::ENOENT));
        assert_eq!(Errno::check(-2).unwrap_err().name(), Some("ENOENT"));
        assert_eq!(Errno::check(-524).unwrap_err().name(), Some("ENOTSUPP"));
        assert_eq!(Errno::check(i32::MIN), Err(Errno::EIO));
    }

    #[test]
    fn display_names_the_errno_and_unknown_values_stay_numeric() {
        assert_eq!(Errno::EFAULT.to_string(), "EFAULT (Bad address)");
        assert_eq!(format!("{:?}", Errno::EBUSY), "EBUSY");
        assert_eq!(Errno::from_raw(4000).to_string(), "errno 4000");
        assert_eq!(Errno::from_raw(4000).name(), None);
    }

    #[test]
    fn converts_to_io_error_with_a_matching_kind() {
        let e: std::io::Error = Errno::ENOENT.into();
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
        assert!(e.to_string().contains("ENOENT"));
    }
}
