package dev.wasmbpf.btf.emit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The --wasm header compiled for wasm32-wasi gives every struct of the test objects the size and
 * member offsets of its BTF, i.e. of the BPF side.
 */
class WasmLayoutTest {
    @Test
    void everyStructOfTheTestObjectsHasItsBtfLayoutOnWasm32() throws Exception {
        check("types", ObjectFixtures.types());
    }

    @Test
    void kernelTypesUsedByACoReObjectHaveTheirBtfLayoutOnWasm32() throws Exception {
        check("exec", ObjectFixtures.exec());
    }

    @Test
    void bootstrapEventIs168BytesWithPaddingAfterExitCode() throws Exception {
        Btf btf = ObjectFile.read(ObjectFixtures.types()).btf().orElseThrow();
        String h = new WasmHeaderEmitter(btf).emitType("EVENT_H", "event");
        assertTrue(h.contains("\tuint32_t exit_code;\n\tchar __pad0[4];\n\tuint64_t duration_ns;\n"), h);
        assertTrue(h.contains("\tbool exit_event;\n} __attribute__((packed));"), h);
        assertTrue(h.contains("_Static_assert(sizeof(struct event) == 168"), h);
        assertTrue(!h.contains("struct bits"), "--type emits only what the root needs");
    }

    private static void check(String name, Path object) throws Exception {
        String clang = TestEnvironment.clang();
        TestEnvironment.requireWasiSysroot();
        Btf btf = ObjectFile.read(object).btf().orElseThrow();
        Path dir = Files.createDirectories(Path.of("target", "wasm-layout"));
        Files.writeString(
                dir.resolve(name + ".wasm.h"),
                new WasmHeaderEmitter(btf).emitAll("__" + name.toUpperCase() + "_WASM_H__"));
        WasmHeaderEmitter probe = new WasmHeaderEmitter(btf);
        String asserts = LayoutAsserts.forTypes(btf, id -> true);
        long count = btf.types().stream()
                .filter(t -> t instanceof BtfType.Composite c && !c.name().isEmpty())
                .count();
        assertTrue(count >= (name.equals("types") ? 8 : 20), "structs checked: " + count);
        Files.writeString(dir.resolve(name + "_check.c"), "#include \"" + name + ".wasm.h\"\n" + asserts);
        TestEnvironment.run(
                dir,
                List.of(
                        clang,
                        "--target=wasm32-wasi",
                        "--sysroot=/usr",
                        "-fsyntax-only",
                        "-ferror-limit=0",
                        name + "_check.c"));
    }
}
