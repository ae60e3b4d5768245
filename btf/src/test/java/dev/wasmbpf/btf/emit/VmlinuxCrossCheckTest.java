package dev.wasmbpf.btf.emit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own BTF is the truth: for every named struct and union of the running kernel, our
 * vmlinux.h must give clang -target bpf exactly the size and member offsets the BTF records.
 * (Debian's bpftool 7.1 gets 34 structs of Linux 6.18 wrong; see docs/toolchain.md.)
 */
class VmlinuxCrossCheckTest {
    @Test
    void everyKernelStructHasItsBtfLayoutInOurVmlinuxH() throws Exception {
        TestEnvironment.requireVmlinux();
        String clang = TestEnvironment.clang();
        Btf btf = Btf.parse(Files.readAllBytes(TestEnvironment.VMLINUX));
        Path dir = Files.createDirectories(Path.of("target", "vmlinux-crosscheck"));
        Files.writeString(dir.resolve("vmlinux.h"), new CHeaderEmitter(btf).emitAll("__VMLINUX_H__"));
        String asserts = LayoutAsserts.forTypes(btf, id -> true);
        long structs = btf.types().stream()
                .filter(t -> t instanceof BtfType.Composite c && !c.name().isEmpty())
                .count();
        assertTrue(structs > 1000, "expected thousands of named structs and unions, found " + structs);
        Files.writeString(dir.resolve("check.c"), "#include \"vmlinux.h\"\n" + asserts);
        TestEnvironment.run(
                dir,
                List.of(clang, "-target", "bpf", "-fsyntax-only", "-ferror-limit=0", "-Wall", "-Werror", "check.c"));
    }

    @Test
    void theWasmViewOfTheWholeKernelCompilesForWasm32WithItsSizeAsserts() throws Exception {
        TestEnvironment.requireVmlinux();
        String clang = TestEnvironment.clang();
        TestEnvironment.requireWasiSysroot();
        Btf btf = Btf.parse(Files.readAllBytes(TestEnvironment.VMLINUX));
        Path dir = Files.createDirectories(Path.of("target", "vmlinux-crosscheck"));
        String header = new WasmHeaderEmitter(btf).emitAll("__VMLINUX_WASM_H__");
        long asserts = header.lines()
                .filter(l -> l.startsWith("_Static_assert(sizeof("))
                .count();
        assertTrue(asserts > 10_000, "one size assert per struct, union and struct typedef: " + asserts);
        Files.writeString(dir.resolve("vmlinux.wasm.h"), header);
        Files.writeString(dir.resolve("check_wasm.c"), "#include \"vmlinux.wasm.h\"\n");
        TestEnvironment.run(
                dir,
                List.of(
                        clang,
                        "--target=wasm32-wasi",
                        "--sysroot=/usr",
                        "-fsyntax-only",
                        "-ferror-limit=0",
                        "check_wasm.c"));
    }
}
