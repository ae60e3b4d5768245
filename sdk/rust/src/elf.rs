//! Just enough ELF64 to find a BPF object's programs (function symbols in executable sections)
//! and its global-data sections before handing the bytes to the host. Every offset is checked:
//! a corrupt object is `EINVAL`, never a panic.

use crate::sections::Match;
use crate::Errno;

const SHT_SYMTAB: u32 = 2;
const SHT_NOBITS: u32 = 8;
const SHF_EXECINSTR: u64 = 0x4;
const STT_FUNC: u8 = 2;
const EM_BPF: u16 = 247;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Section {
    pub name: String,
    pub kind: u32,
    pub flags: u64,
    pub offset: usize,
    pub size: usize,
}

impl Section {
    pub fn is_nobits(&self) -> bool {
        self.kind == SHT_NOBITS
    }
}

/// A program: its C function name and ELF section (`tp/sched/sched_process_exec`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramInfo {
    pub name: String,
    pub section: String,
}

pub(crate) struct Elf {
    pub sections: Vec<Section>,
    pub programs: Vec<ProgramInfo>,
}

fn u16_at(b: &[u8], off: usize) -> Result<u16, Errno> {
    b.get(off..off + 2).map(|s| u16::from_le_bytes([s[0], s[1]])).ok_or(Errno::EINVAL)
}

fn u32_at(b: &[u8], off: usize) -> Result<u32, Errno> {
    b.get(off..off + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok_or(Errno::EINVAL)
}

fn u64_at(b: &[u8], off: usize) -> Result<u64, Errno> {
    let s = b.get(off..off + 8).ok_or(Errno::EINVAL)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Ok(u64::from_le_bytes(a))
}

fn usize_of(v: u64) -> Result<usize, Errno> {
    usize::try_from(v).map_err(|_| Errno::EINVAL)
}

/// The NUL-terminated string at `off` of the string table `strtab`.
fn string_at(elf: &[u8], strtab: &Section, off: u32) -> Result<String, Errno> {
    let table = elf.get(strtab.offset..strtab.offset + strtab.size).ok_or(Errno::EINVAL)?;
    let rest = table.get(off as usize..).ok_or(Errno::EINVAL)?;
    let end = rest.iter().position(|&c| c == 0).ok_or(Errno::EINVAL)?;
    Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
}

impl Elf {
    pub fn parse(b: &[u8]) -> Result<Elf, Errno> {
        if b.len() < 64 || &b[..4] != b"\x7fELF" || b[4] != 2 || b[5] != 1 {
            return Err(Errno::EINVAL); // not a little-endian ELF64
        }
        if u16_at(b, 18)? != EM_BPF {
            return Err(Errno::EINVAL);
        }
        let shoff = usize_of(u64_at(b, 40)?)?;
        let shentsize = u16_at(b, 58)? as usize;
        let shnum = u16_at(b, 60)? as usize;
        let shstrndx = u16_at(b, 62)? as usize;
        if shentsize != 64 || shnum == 0 || shstrndx >= shnum {
            return Err(Errno::EINVAL);
        }
        let table_end = shnum.checked_mul(64).and_then(|n| n.checked_add(shoff)).ok_or(Errno::EINVAL)?;
        if table_end > b.len() {
            return Err(Errno::EINVAL);
        }
        let mut raw = Vec::with_capacity(shnum);
        for i in 0..shnum {
            let h = shoff + i * 64;
            let s = Section {
                name: String::new(),
                kind: u32_at(b, h + 4)?,
                flags: u64_at(b, h + 8)?,
                offset: usize_of(u64_at(b, h + 24)?)?,
                size: usize_of(u64_at(b, h + 32)?)?,
            };
            let end = s.offset.checked_add(s.size).ok_or(Errno::EINVAL)?;
            if s.kind != SHT_NOBITS && end > b.len() {
                return Err(Errno::EINVAL);
            }
            raw.push((u32_at(b, h)?, u32_at(b, h + 40)?, s));
        }
        let shstr = raw[shstrndx].2.clone();
        let mut sections = Vec::with_capacity(shnum);
        for (name_off, _, s) in &raw {
            let mut s = s.clone();
            s.name = string_at(b, &shstr, *name_off)?;
            sections.push(s);
        }

        let mut programs = Vec::new();
        for (i, s) in sections.iter().enumerate() {
            if s.kind != SHT_SYMTAB {
                continue;
            }
            let strtab = sections.get(raw[i].1 as usize).ok_or(Errno::EINVAL)?;
            for sym in 1..s.size / 24 {
                let at = s.offset + sym * 24;
                let info = b[at + 4];
                let shndx = u16_at(b, at + 6)? as usize;
                if info & 0xf != STT_FUNC {
                    continue;
                }
                let sec = match sections.get(shndx) {
                    Some(sec) => sec,
                    None => continue,
                };
                if sec.flags & SHF_EXECINSTR == 0 || sec.name == ".text" {
                    continue; // .text holds subprograms, not programs
                }
                programs.push(ProgramInfo { name: string_at(b, strtab, u32_at(b, at)?)?, section: sec.name.clone() });
            }
        }
        Ok(Elf { sections, programs })
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// Sections libbpf attaches without a target, from the runtime's own section table (`sections.rs`,
/// generated from it): the first matching row decides.
pub(crate) fn can_auto_attach(section: &str) -> bool {
    for &(pattern, how, auto) in crate::sections::SECTIONS {
        let hit = match how {
            Match::Prefix => section.starts_with(pattern),
            Match::Exact => section == pattern,
            Match::ExactOrSlash => {
                section == pattern || (section.starts_with(pattern) && section[pattern.len()..].starts_with('/'))
            }
        };
        if hit {
            return auto;
        }
    }
    false
}
