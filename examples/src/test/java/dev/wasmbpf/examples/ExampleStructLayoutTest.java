package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.LayoutAsserts;
import dev.wasmbpf.btf.emit.WasmHeaderEmitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every struct and union in every example's BPF object, the toolchain's {@code --wasm} header
 * compiled for wasm32-wasi has the size and member offsets the BTF records: one generated
 * {@code _Static_assert} per size and per member offset.
 */
class ExampleStructLayoutTest {

    @TestFactory
    Stream<DynamicTest> everyExampleStructHasItsBtfLayoutOnWasm32() throws IOException {
        return ExampleObjects.built().stream()
                .map(object -> DynamicTest.dynamicTest(object.getFileName().toString(), () -> check(object)));
    }

    private static void check(Path object) throws Exception {
        String name = object.getFileName().toString().replace(".bpf.o", "");
        Btf btf = ObjectFile.read(object).btf().orElseThrow(() -> new AssertionError(object + " has no BTF"));
        long structs = btf.types().stream()
                .filter(t -> t instanceof BtfType.Composite c && !c.name().isEmpty())
                .count();
        Path dir = Files.createDirectories(Path.of("target", "wasm-layout", name));
        Files.writeString(
                dir.resolve(name + ".wasm.h"),
                new WasmHeaderEmitter(btf).emitAll("__" + name.toUpperCase() + "_WASM_H__"));
        String asserts = LayoutAsserts.forTypes(btf, id -> true);
        // The check is clang's: every assert below must hold on wasm32 (counting the asserts against the same
        // BTF they were generated from would only restate the generator).
        assertTrue(asserts.lines().anyMatch(l -> l.startsWith("_Static_assert(sizeof(")), name + ": no size assert");
        Files.writeString(dir.resolve("check.c"), "#include \"" + name + ".wasm.h\"\n" + asserts);
        List<String> command = new ArrayList<>(List.of(
                "clang", "--target=wasm32-wasi", "--sysroot=/usr", "-fsyntax-only", "-ferror-limit=0", "check.c"));
        Process clang = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(clang.getInputStream().readAllBytes());
        assertEquals(0, clang.waitFor(), name + ": wasm32 layout differs from BTF:\n" + output);
        assertTrue(structs > 0, name + ": no named struct in BTF");
    }
}
