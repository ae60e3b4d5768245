package dev.wasmbpf.btf.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.skeleton.RustSkeletonGenerator;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code format rust}: the output compiles for wasm32-wasi (so every size assert holds), every
 * named member sits at its BTF offset (checked by running the same code on the build machine:
 * the generated types are packed and fixed-width, so their layout is the same on every target),
 * bitfield accessors read and write the bits a C compiler does, and the Rust skeleton compiles
 * against the SDK. Needs Debian's rustc with the wasm32-wasi standard library.
 */
class RustEmitterTest {
    static final Path RUSTC = Path.of("/usr/bin/rustc");
    private static final Path DIR = Path.of("target", "rust-layout");

    static void requireRustc() {
        TestEnvironment.require(
                Files.isExecutable(RUSTC) && Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-wasi")),
                "Debian's rustc with libstd-rust-dev-wasm32 (/usr/bin/rustc, /usr/lib/rustlib/wasm32-wasi)");
    }

    @Test
    void typesObjectCompilesForWasm32AndEveryMemberIsAtItsBtfOffset() throws Exception {
        check("types", ObjectFixtures.types());
    }

    @Test
    void kernelTypesOfACoReObjectCompileForWasm32AtTheirBtfOffsets() throws Exception {
        check("exec", ObjectFixtures.exec());
    }

    @Test
    void eventHasExplicitPaddingAndASizeAssertAndTypeSelectsOnlyWhatItNeeds() throws Exception {
        Btf btf = ObjectFile.read(ObjectFixtures.types()).btf().orElseThrow();
        String rs = new RustEmitter(btf).emitType("t", "event");
        assertTrue(rs.contains("#[repr(C, packed)]\n#[derive(Clone, Copy, Debug)]\npub struct event {\n"), rs);
        assertTrue(rs.contains("    pub exit_code: u32,\n    pub __pad0: [u8; 4],\n    pub duration_ns: u64,\n"), rs);
        assertTrue(rs.contains("    pub comm: [u8; 16],\n"), rs);
        assertTrue(
                rs.contains("    pub exit_event: u8,\n}\nconst _: () = assert!(core::mem::size_of::<event>() == 168);"),
                rs);
        assertTrue(!rs.contains("struct bits"), "--type emits only what the root needs:\n" + rs);
        assertThrows(EmitException.class, () -> new RustEmitter(btf).emitType("t", "no_such_type"));
    }

    @Test
    void pointersAreU64EnumsAreIntegerConstantsAndAnonymousMembersGetNames() throws Exception {
        Btf btf = ObjectFile.read(ObjectFixtures.types()).btf().orElseThrow();
        String rs = new RustEmitter(btf).emitAll("t");
        assertTrue(
                rs.contains(
                        "pub type color = u32;\npub const RED: color = 0;\npub const GREEN: color = 5;\npub const BLUE: color = 6;"),
                rs);
        assertTrue(rs.contains("pub type small = u8;\npub const S_A: small = 0;\npub const S_B: small = 200;"), rs);
        assertTrue(rs.contains("    pub cb: callback_t,\n    pub name: u64,\n    pub next: u64,\n"), rs);
        assertTrue(rs.contains("pub type callback_t = u64;"), "a function pointer typedef is a u64:\n" + rs);
        assertTrue(rs.contains("pub struct nested {\n    pub kind: i32,\n    pub __pad0: [u8; 4],\n"), rs);
        assertTrue(
                rs.contains(
                        "    /// an anonymous C member: its fields are reached through this one\n    pub __anon0: nested__anon0,\n"),
                rs);
        assertTrue(rs.contains("pub union nested__anon0 {"), rs);
        assertTrue(rs.contains("    pub buf: nested__buf,\n"), rs);
        assertTrue(
                rs.contains("pub struct endpoint_t {"),
                "a typedef'd anonymous struct takes the typedef's name:\n" + rs);
        assertTrue(rs.contains("pub items: [u64; 0],"), rs);
    }

    /** struct bits of types.bpf.c, set by a C compiler and by the generated accessors, byte for byte. */
    @Test
    void bitfieldAccessorsAgreeWithTheCCompiler() throws Exception {
        requireRustc();
        String clang = TestEnvironment.clang();
        Btf btf = ObjectFile.read(ObjectFixtures.types()).btf().orElseThrow();
        Path dir = Files.createDirectories(DIR);
        // struct bits exactly as types.bpf.c declares it, set by the C compiler of the build machine.
        String source = Files.readString(Path.of("src", "test", "resources", "bpf", "types.bpf.c"));
        java.util.regex.Matcher bitsDecl =
                java.util.regex.Pattern.compile("(?s)struct bits \\{.*?\\};").matcher(source);
        assertTrue(bitsDecl.find(), "struct bits in types.bpf.c");
        Files.writeString(dir.resolve("bits.c"), "#include <stdbool.h>\n#include <stdio.h>\n" + bitsDecl.group() + """

                int main(void)
                {
                	struct bits v = { 5, 17, -100, 0x12345678ABULL, 'x', 300, 1, -7 };
                	for (unsigned i = 0; i < sizeof(v); i++)
                		printf("%02x", ((unsigned char *)&v)[i]);
                	return 0;
                }
                """);
        // The BPF target lays bitfields out as x86-64 does (both little-endian SysV); BTF says so too.
        TestEnvironment.run(dir, List.of(clang, "-O0", "bits.c", "-o", "bits_c"));
        String hex = TestEnvironment.run(
                        dir, List.of(dir.toAbsolutePath().resolve("bits_c").toString()))
                .trim();
        String types = new RustEmitter(btf).emitType("types.bpf.o", "bits");
        Files.writeString(dir.resolve("bits.rs"), types + """

                fn main() {
                    let hex = "%s";
                    let c: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
                    assert_eq!(c.len(), core::mem::size_of::<bits>());
                    let v: bits = unsafe { core::ptr::read_unaligned(c.as_ptr() as *const bits) };
                    assert_eq!(v.a(), 5);
                    assert_eq!(v.b(), 17);
                    assert_eq!(v.c(), -100);
                    assert_eq!(v.d(), 0x12345678AB);
                    assert_eq!(v.e, b'x');
                    assert_eq!(v.f(), 300);
                    assert_eq!(v.g(), 1);
                    let tail = v.tail;
                    assert_eq!(tail, -7);
                    let mut w: bits = unsafe { core::mem::zeroed() };
                    w.set_a(5); w.set_b(17); w.set_c(-100); w.set_d(0x12345678AB); w.e = b'x'; w.set_f(300); w.set_g(1); w.tail = -7;
                    let bytes: [u8; core::mem::size_of::<bits>()] = unsafe { core::mem::transmute(w) };
                    assert_eq!(&bytes[..], &c[..], "setters write the C compiler's bytes");
                    w.set_b(0);
                    assert_eq!((w.a(), w.b(), w.c()), (5, 0, -100), "a setter leaves its neighbours alone");
                    w.set_a(0xff);
                    assert_eq!((w.a(), w.b()), (7, 0), "a value wider than the field is cut to its bits");
                    println!("ok");
                }
                """.formatted(hex));
        TestEnvironment.run(dir, List.of(RUSTC.toString(), "--edition", "2021", "bits.rs", "-o", "bits_rs"));
        assertEquals(
                "ok",
                TestEnvironment.run(
                                dir,
                                List.of(dir.toAbsolutePath().resolve("bits_rs").toString()))
                        .trim());
    }

    @Test
    void rustSkeletonCompilesAgainstTheSdkForWasm32() throws Exception {
        requireRustc();
        Path dir = Files.createDirectories(DIR.resolve("skel"));
        Path sdk =
                Path.of("..", "sdk", "rust", "src", "lib.rs").toAbsolutePath().normalize();
        TestEnvironment.run(
                dir,
                List.of(
                        RUSTC.toString(),
                        "--edition",
                        "2021",
                        "--crate-type",
                        "rlib",
                        "--crate-name",
                        "wasm_bpf",
                        "--target",
                        "wasm32-wasi",
                        "-O",
                        sdk.toString(),
                        "-o",
                        "libwasm_bpf.rlib"));
        ObjectFile obj = ObjectFile.read(ObjectFixtures.types());
        Files.writeString(
                dir.resolve("types.skel.rs"), new RustSkeletonGenerator(obj, List.of("flex")).generate("types.bpf.o"));
        Files.writeString(dir.resolve("main.rs"), """
                mod skel { include!("types.skel.rs"); }
                fn main() -> Result<(), wasm_bpf::Errno> {
                    let mut open = skel::OpenSkel::open()?;
                    open.rodata()?.min_duration_ns = 5;
                    open.rodata()?.filter_endpoint.port = 80;
                    open.bss()?.seen = 1;
                    let _ = open.data_custom()?.bits_val.b();
                    let _: Option<skel::types::flex> = None;
                    let skel = open.load()?;
                    skel.attach()?;
                    let maps = skel.maps()?;
                    let _: Option<skel::types::event> = maps.events.lookup(&1i32)?;
                    let _ = skel.obj.attach_to(skel::progs::sock_filter, "lo");
                    let bss: skel::types::Bss = skel.bss()?;
                    let seen = bss.seen;
                    println!("{}", seen);
                    Ok(())
                }
                """);
        TestEnvironment.run(
                dir,
                List.of(
                        RUSTC.toString(),
                        "--edition",
                        "2021",
                        "--target",
                        "wasm32-wasi",
                        "-O",
                        "--extern",
                        "wasm_bpf=libwasm_bpf.rlib",
                        "-L",
                        ".",
                        "main.rs",
                        "-o",
                        "main.wasm"));
        assertTrue(Files.size(dir.resolve("main.wasm")) > 0);
    }

    /** Writes the output plus a main that compares every named member's offset with BTF's. */
    private static void check(String name, Path object) throws Exception {
        requireRustc();
        Btf btf = ObjectFile.read(object).btf().orElseThrow();
        RustEmitter emitter = new RustEmitter(btf);
        String rs = emitter.emitAll(name + ".bpf.o");
        StringBuilder main = new StringBuilder("""

                macro_rules! off {
                    ($t:ty, $f:ident) => {{
                        let u = core::mem::MaybeUninit::<$t>::uninit();
                        let p = u.as_ptr();
                        (unsafe { core::ptr::addr_of!((*p).$f) }) as *const u8 as usize - p as *const u8 as usize
                    }};
                }
                fn main() {
                    let mut bad: Vec<String> = Vec::new();
                    let mut n = 0;
                """);
        List<String> checks = new ArrayList<>();
        for (int id = 1; id < btf.count(); id++) {
            if (!(btf.type(id) instanceof BtfType.Composite c) || c.name().isEmpty() || emitter.nameOf(id) == null)
                continue;
            if (!rs.contains("pub " + (c.union() ? "union " : "struct ") + emitter.nameOf(id) + " {")) continue;
            for (var m : c.members()) {
                if (m.name().isEmpty() || m.isBitfield()) continue;
                checks.add("    n += 1; let o = off!(" + emitter.nameOf(id) + ", " + RustEmitter.identifierOf(m.name())
                        + "); if o != " + m.bitOffset() / 8 + " { bad.push(format!(\"" + c.name() + "." + m.name()
                        + " at {} not " + m.bitOffset() / 8 + "\", o)); }\n");
            }
        }
        assertTrue(checks.size() >= (name.equals("types") ? 30 : 100), "members checked: " + checks.size());
        checks.forEach(main::append);
        main.append("    assert!(bad.is_empty(), \"{:?}\", bad);\n    println!(\"{}\", n);\n}\n");
        Path dir = Files.createDirectories(DIR);
        Files.writeString(dir.resolve(name + ".rs"), rs);
        Files.writeString(dir.resolve(name + "_offsets.rs"), rs + main);
        TestEnvironment.run(
                dir,
                List.of(
                        RUSTC.toString(),
                        "--edition",
                        "2021",
                        "--crate-type",
                        "lib",
                        "--target",
                        "wasm32-wasi",
                        name + ".rs",
                        "-o",
                        "lib" + name + ".rlib"));
        TestEnvironment.run(
                dir, List.of(RUSTC.toString(), "--edition", "2021", name + "_offsets.rs", "-o", name + "_offsets"));
        String out = TestEnvironment.run(
                        dir,
                        List.of(dir.toAbsolutePath().resolve(name + "_offsets").toString()))
                .trim();
        assertEquals(Integer.toString(checks.size()), out);
    }
}
