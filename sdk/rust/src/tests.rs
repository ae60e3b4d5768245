//! Unit tests against the fake host: what the SDK does off-kernel (ELF parsing, globals before
//! load, attach selection, map size checks and iteration, the callback trampoline, errnos).
//! The object is tests/testobj.bpf.c, compiled by `make check` (path in WASM_BPF_TEST_OBJ).

use crate::fake;
use crate::{Errno, Flow, Object, OpenObject, UpdateFlags};
use std::ops::ControlFlow;

fn object_bytes() -> Vec<u8> {
    let path = std::env::var("WASM_BPF_TEST_OBJ").expect("WASM_BPF_TEST_OBJ: run the tests with `make -C sdk/rust check`");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {}", path, e))
}

fn reset() {
    fake::with(|h| *h = fake::FakeHost::default());
}

#[test]
fn finds_programs_with_their_sections() {
    let open = OpenObject::open(&object_bytes()).unwrap();
    let mut progs: Vec<_> = open.programs().iter().map(|p| (p.name.as_str(), p.section.as_str())).collect();
    progs.sort();
    assert_eq!(progs, vec![("handle_exec", "tp/sched/sched_process_exec"), ("pass_all", "xdp")]);
}

#[test]
fn rejects_what_is_not_a_bpf_object() {
    assert_eq!(OpenObject::open(b"not an elf").err(), Some(Errno::EINVAL));
    let mut elf = object_bytes();
    elf[18] = 62; // EM_X86_64
    assert_eq!(OpenObject::open(&elf).err(), Some(Errno::EINVAL));
    let mut elf = object_bytes();
    elf[40..48].copy_from_slice(&u64::MAX.to_le_bytes()); // section headers beyond the file
    assert_eq!(OpenObject::open(&elf).err(), Some(Errno::EINVAL));
    for cut in [64, 200, object_bytes().len() - 1] {
        assert!(OpenObject::open(&object_bytes()[..cut]).is_err(), "truncated at {}", cut);
    }
}

#[test]
fn rodata_written_before_load_is_what_the_host_loads() {
    reset();
    let original = object_bytes();
    let mut open = OpenObject::open(&original).unwrap();
    assert_eq!(open.global_bytes_mut(".rodata").unwrap(), &1u32.to_ne_bytes()[..]); // src_key = 1
    #[derive(Clone, Copy)]
    #[repr(C, packed)]
    struct Rodata {
        src_key: u32,
    }
    unsafe impl crate::Plain for Rodata {}
    open.global_mut::<Rodata>(".rodata").unwrap().src_key = 7;
    let _obj = open.load().unwrap();
    let loaded = fake::with(|h| h.loaded[0].clone());
    assert_eq!(loaded.len(), original.len());
    let diff: Vec<usize> = (0..loaded.len()).filter(|&i| loaded[i] != original[i]).collect();
    assert_eq!(diff.len(), 1, "only the constant's byte changes");
    assert_eq!(loaded[diff[0]], 7);
}

#[test]
fn typed_globals_need_alignment_one_and_must_fit() {
    let mut open = OpenObject::open(&object_bytes()).unwrap();
    assert_eq!(open.global_mut::<u32>(".rodata").err(), Some(Errno::EINVAL)); // align 4
    assert_eq!(open.global_mut::<[u8; 5]>(".rodata").err(), Some(Errno::EINVAL)); // 4-byte section
    assert!(open.global_mut::<[u8; 4]>(".rodata").is_ok());
    assert_eq!(open.global_bytes_mut(".text").err(), Some(Errno::EINVAL));
    assert_eq!(open.global_bytes_mut(".data").err(), Some(Errno::ENOENT));
}

#[test]
fn bss_written_before_load_is_pushed_into_its_map_and_an_untouched_one_is_not() {
    reset();
    let fd = fake::with(|h| h.add_map(".bss", 4, 8));
    let mut open = OpenObject::open(&object_bytes()).unwrap();
    open.global_bytes_mut(".bss").unwrap().copy_from_slice(&42u64.to_ne_bytes());
    let obj = open.load().unwrap();
    let stored = fake::with(|h| h.map(fd).unwrap().entries.get(&0u32.to_ne_bytes().to_vec()).cloned());
    assert_eq!(stored, Some(42u64.to_ne_bytes().to_vec()));
    assert_eq!(obj.read_global::<[u8; 8]>(".bss").unwrap(), 42u64.to_ne_bytes());
    assert_eq!(obj.read_global::<[u8; 9]>(".bss").err(), Some(Errno::EINVAL));
    drop(obj);

    fake::with(|h| h.map(fd).unwrap().entries.clear());
    let _obj = OpenObject::open(&object_bytes()).unwrap().load().unwrap();
    assert!(fake::with(|h| h.map(fd).unwrap().entries.is_empty()));
}

#[test]
fn a_refused_load_is_einval_and_drop_closes_the_handle() {
    reset();
    fake::with(|h| h.fail_load = true);
    assert_eq!(Object::load(&object_bytes()).err(), Some(Errno::EINVAL));
    let obj = Object::load(&object_bytes()).unwrap();
    let handle = obj.handle();
    assert!(fake::with(|h| h.closed.is_empty()));
    drop(obj);
    assert_eq!(fake::with(|h| h.closed.clone()), vec![handle]);
}

#[test]
fn attach_all_attaches_only_programs_that_need_no_target() {
    reset();
    let obj = Object::load(&object_bytes()).unwrap();
    assert_eq!(obj.attach_all(), Ok(1));
    obj.attach_to("pass_all", "lo").unwrap();
    let attached = fake::with(|h| h.attached.clone());
    assert_eq!(
        attached,
        vec![(obj.handle(), "handle_exec".to_string(), None), (obj.handle(), "pass_all".to_string(), Some("lo".to_string()))]
    );
    fake::with(|h| h.attach_error = Some(-13));
    assert_eq!(obj.attach("handle_exec"), Err(Errno::EACCES));
    assert_eq!(obj.attach("bad\0name"), Err(Errno::EINVAL));
}

#[test]
fn typed_map_operations_and_missing_keys() {
    reset();
    fake::with(|h| h.add_map("kv", 4, 8));
    let obj = Object::load(&object_bytes()).unwrap();
    let kv = obj.map("kv").unwrap();
    assert_eq!(obj.map("nope").err(), Some(Errno::ENOENT));
    assert_eq!(kv.lookup::<u32, u64>(&1), Ok(None));
    kv.update(&1u32, &10u64).unwrap();
    kv.update(&2u32, &20u64).unwrap();
    assert_eq!(kv.lookup::<u32, u64>(&1), Ok(Some(10)));
    assert_eq!(kv.update_with(&1u32, &11u64, UpdateFlags::NoExist), Err(Errno::EEXIST));
    assert_eq!(kv.update_with(&3u32, &30u64, UpdateFlags::Exist), Err(Errno::ENOENT));
    let keys: Result<Vec<u32>, Errno> = kv.keys().collect();
    assert_eq!(keys, Ok(vec![1, 2]));
    assert_eq!(kv.delete(&1u32), Ok(true));
    assert_eq!(kv.delete(&1u32), Ok(false));
    assert_eq!(kv.next_key::<u32>(None), Ok(Some(2)));
    assert_eq!(kv.next_key(Some(&2u32)), Ok(None));
}

#[test]
fn declared_sizes_turn_a_wrong_buffer_into_einval_before_the_host_sees_it() {
    reset();
    fake::with(|h| h.add_map("kv", 4, 8));
    let obj = Object::load(&object_bytes()).unwrap();
    let kv = obj.map("kv").unwrap().with_sizes(4, 8);
    assert_eq!(kv.lookup::<u32, u32>(&1), Err(Errno::EINVAL));
    assert_eq!(kv.update(&1u64, &1u64), Err(Errno::EINVAL));
    assert_eq!(kv.next_key::<u16>(None), Err(Errno::EINVAL));
    let mut short = [0u8; 2];
    assert_eq!(kv.next_key_bytes(Some(&[0u8; 4]), &mut short), Err(Errno::EINVAL));
    kv.update(&5u32, &6u64).unwrap();
    assert_eq!(kv.lookup::<u32, u64>(&5), Ok(Some(6)));
}

#[test]
fn a_closure_gets_every_sample_and_may_borrow_local_state() {
    reset();
    fake::with(|h| {
        h.add_map("events", 0, 0);
        h.maps[0].samples = vec![vec![1, 0, 0, 0], vec![2, 0, 0, 0, 9]];
    });
    let obj = Object::load(&object_bytes()).unwrap();
    let mut seen: Vec<u32> = Vec::new();
    {
        // The samples already waiting are delivered by the poll that opens the buffer.
        let mut rb = obj.buffer("events", |s: &[u8]| seen.push(crate::from_bytes::<u32>(s).unwrap())).unwrap();
        fake::with(|h| h.maps[0].samples = vec![vec![3, 0, 0, 0]]);
        assert_eq!(rb.poll(100), Ok(1));
        assert_eq!(rb.poll(100), Ok(0));
    }
    assert_eq!(seen, vec![1, 2, 3]);
}

#[test]
fn a_stop_ends_the_poll_and_is_not_an_error() {
    reset();
    fake::with(|h| h.add_map("events", 0, 0));
    let obj = Object::load(&object_bytes()).unwrap();
    let mut calls = 0;
    let mut rb = obj
        .buffer("events", |_s: &[u8]| {
            calls += 1;
            if calls == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    fake::with(|h| h.maps[0].samples = vec![vec![1], vec![2], vec![3]]);
    assert_eq!(rb.poll(0), Ok(2));
    drop(rb);
    assert_eq!(calls, 2);
}

#[test]
fn long_samples_are_truncated_to_the_capacity() {
    reset();
    fake::with(|h| h.add_map("events", 0, 0));
    let obj = Object::load(&object_bytes()).unwrap();
    let mut sizes = Vec::new();
    let mut rb = obj.buffer_with_capacity("events", 4, |s: &[u8]| {
        sizes.push(s.len());
        Flow::Continue
    })
    .unwrap();
    fake::with(|h| h.maps[0].samples = vec![vec![0; 10], vec![0; 3]]);
    assert_eq!(rb.poll(0), Ok(2));
    drop(rb);
    assert_eq!(sizes, vec![4, 3]);
}

#[test]
fn host_errors_of_a_poll_come_back_as_errnos() {
    reset();
    fake::with(|h| h.add_map("events", 0, 0));
    let obj = Object::load(&object_bytes()).unwrap();
    let mut rb = obj.buffer("events", |_s: &[u8]| ()).unwrap();
    fake::with(|h| h.closed.push(obj.handle())); // the host no longer knows the handle
    assert_eq!(rb.poll(0), Err(Errno::EINVAL));
}
