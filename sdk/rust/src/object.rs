//! BPF objects: opened from bytes (globals may be set), then loaded into an owned handle that
//! closes (detaching every program) on drop.

use crate::buffer::{Buffer, Flow, DEFAULT_MAX_SAMPLE_SIZE};
use crate::elf::{can_auto_attach, Elf, ProgramInfo};
use crate::map::Map;
use crate::plain::{view_mut, Plain};
use crate::sys;
use crate::Errno;
use std::ffi::CString;

/// Sections libbpf turns into internal array maps (key 0 holds the whole section).
fn is_global_section(name: &str) -> bool {
    name == ".rodata" || name.starts_with(".rodata.") || name == ".data" || name.starts_with(".data.") || name == ".bss"
}

/// An object opened from its ELF bytes, not yet loaded: the time to set `.rodata` constants
/// (the verifier will see them) and initial `.data`/`.bss` values.
///
/// `.rodata`/`.data` are edited in this object's own copy of the ELF, which is what the host
/// loads. `.bss` has no bytes in the ELF: it is a zeroed buffer here, written into the map
/// right after load when anything in it is non-zero (the C SDK does the same).
pub struct OpenObject {
    elf: Vec<u8>,
    info: Elf,
    bss: Vec<u8>,
}

impl OpenObject {
    /// Copies and parses the ELF (typically `include_bytes!("x.bpf.o")`). `EINVAL` when it is
    /// not a little-endian ELF64 BPF object.
    pub fn open(bytes: &[u8]) -> Result<OpenObject, Errno> {
        let info = Elf::parse(bytes)?;
        let bss = vec![0; info.section(".bss").map_or(0, |s| s.size)];
        Ok(OpenObject { elf: bytes.to_vec(), info, bss })
    }

    /// The programs (function name and section), in symbol-table order.
    pub fn programs(&self) -> &[ProgramInfo] {
        &self.info.programs
    }

    /// The bytes of a global-data section (`.rodata`, `.rodata.*`, `.data`, `.data.*`, `.bss`),
    /// writable until load. `ENOENT` when the object has no such section, `EINVAL` for any
    /// other section.
    pub fn global_bytes_mut(&mut self, section: &str) -> Result<&mut [u8], Errno> {
        if !is_global_section(section) {
            return Err(Errno::EINVAL);
        }
        let s = self.info.section(section).ok_or(Errno::ENOENT)?;
        if s.is_nobits() {
            return Ok(&mut self.bss[..]);
        }
        Ok(&mut self.elf[s.offset..s.offset + s.size])
    }

    /// A section as a typed struct, e.g. the skeleton's `Rodata` (packed, so alignment 1).
    /// `EINVAL` when `T` is not alignment 1 or larger than the section.
    pub fn global_mut<T: Plain>(&mut self, section: &str) -> Result<&mut T, Errno> {
        view_mut(self.global_bytes_mut(section)?).ok_or(Errno::EINVAL)
    }

    /// Hands the (possibly patched) ELF to the host, which creates the maps, applies CO-RE
    /// relocations and verifies every program. `EINVAL` when the host refused it (it prints
    /// libbpf's reason and the verifier log on its stderr).
    pub fn load(self) -> Result<Object, Errno> {
        let handle = sys::load(&self.elf);
        if handle == 0 {
            return Err(Errno::EINVAL);
        }
        let object = Object {
            handle,
            programs: self.info.programs.clone(),
            sections: self.info.sections.iter().filter(|s| is_global_section(&s.name)).map(|s| (s.name.clone(), s.size)).collect(),
        };
        if self.bss.iter().any(|&b| b != 0) {
            object.global_map(".bss")?.update_bytes(&0u32.to_ne_bytes(), &self.bss, crate::UpdateFlags::Any)?;
        }
        Ok(object)
    }
}

/// A loaded object: the host's handle, closed on drop (which detaches its programs, closes its
/// maps and stops its buffers' readers).
pub struct Object {
    handle: u64,
    programs: Vec<ProgramInfo>,
    sections: Vec<(String, usize)>,
}

fn c_string(s: &str) -> Result<CString, Errno> {
    CString::new(s).map_err(|_| Errno::EINVAL)
}

impl Object {
    /// Opens and loads in one step, for objects without globals to set.
    pub fn load(bytes: &[u8]) -> Result<Object, Errno> {
        OpenObject::open(bytes)?.load()
    }

    /// The host's raw handle (for calls this crate does not wrap).
    pub fn handle(&self) -> u64 {
        self.handle
    }

    pub fn programs(&self) -> &[ProgramInfo] {
        &self.programs
    }

    /// Attaches program `name` (its C function name) the way its section says (`tp/`,
    /// `kprobe/`, `fentry/` …).
    pub fn attach(&self, name: &str) -> Result<(), Errno> {
        let name = c_string(name)?;
        Errno::check(sys::attach(self.handle, &name, None)).map(|_| ())
    }

    /// Attaches program `name` to `target`: a cgroup v2 directory (cgroup/…, sockops), an
    /// interface name (xdp, tc, socket) or `path:function` (uprobe). The link lives as long as
    /// the object.
    pub fn attach_to(&self, name: &str, target: &str) -> Result<(), Errno> {
        let (name, target) = (c_string(name)?, c_string(target)?);
        Errno::check(sys::attach(self.handle, &name, Some(&target))).map(|_| ())
    }

    /// Attaches every program whose section needs no target (what libbpf's skeleton
    /// `__attach` does); the others need [`Object::attach_to`]. Returns how many it attached;
    /// stops at the first error.
    pub fn attach_all(&self) -> Result<usize, Errno> {
        let mut n = 0;
        for p in self.programs.iter().filter(|p| can_auto_attach(&p.section)) {
            self.attach(&p.name)?;
            n += 1;
        }
        Ok(n)
    }

    /// The map called `name` (a variable name, or a section name such as `.bss`); its key and
    /// value sizes are unknown to the SDK unless declared with [`Map::with_sizes`] (the
    /// generated skeleton does). `ENOENT` when there is no such map.
    pub fn map(&self, name: &str) -> Result<Map<'_>, Errno> {
        let cname = c_string(name)?;
        let fd = Errno::check(sys::map_fd(self.handle, &cname))? as i32;
        Ok(match self.sections.iter().find(|(s, _)| s == name) {
            Some((_, size)) => Map::new(fd).with_sizes(4, *size),
            None => Map::new(fd),
        })
    }

    /// The internal map of a global-data section (`.bss`, `.data`, `.rodata`): key 0, value the
    /// whole section.
    pub fn global_map(&self, section: &str) -> Result<Map<'_>, Errno> {
        if !self.sections.iter().any(|(s, _)| s == section) {
            return Err(Errno::ENOENT);
        }
        self.map(section)
    }

    /// Reads a global-data section from the kernel as `T` (e.g. the skeleton's `Bss`): the
    /// values the BPF programs wrote. There is no shared mmap across the Wasm boundary, so
    /// this is a map lookup each time.
    pub fn read_global<T: Plain>(&self, section: &str) -> Result<T, Errno> {
        let map = self.global_map(section)?;
        let size = map.value_size().unwrap_or(0);
        if std::mem::size_of::<T>() > size {
            return Err(Errno::EINVAL);
        }
        let mut bytes = vec![0u8; size];
        if !map.lookup_bytes(&0u32.to_ne_bytes(), &mut bytes)? {
            return Err(Errno::ENOENT);
        }
        crate::from_bytes(&bytes).ok_or(Errno::EINVAL)
    }

    /// Polls the ring buffer or perf event array `map` with `callback` called for every sample
    /// (samples up to 64 KiB are whole). The callback returns `()` to go on or a [`Flow`] /
    /// `ControlFlow` to stop the current poll. The host's reader is created here, so samples
    /// are kept from now on.
    pub fn buffer<'a, F, R>(&'a self, map: &str, callback: F) -> Result<Buffer<'a>, Errno>
    where
        F: FnMut(&[u8]) -> R + 'a,
        R: Into<Flow>,
    {
        self.buffer_with_capacity(map, DEFAULT_MAX_SAMPLE_SIZE, callback)
    }

    /// [`Object::buffer`] with a different largest sample size.
    pub fn buffer_with_capacity<'a, F, R>(&'a self, map: &str, max_sample_size: usize, callback: F) -> Result<Buffer<'a>, Errno>
    where
        F: FnMut(&[u8]) -> R + 'a,
        R: Into<Flow>,
    {
        let fd = self.map(map)?.fd();
        Buffer::open(self.handle, fd, max_sample_size, callback)
    }
}

impl Drop for Object {
    fn drop(&mut self) {
        // The only failure is an unknown handle, which cannot happen for a loaded Object.
        let _ = sys::close(self.handle);
    }
}
