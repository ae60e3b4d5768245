package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.RustEmitter;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code btf dump file X.bpf.o format rust} of every example's BPF object compiles with
 * {@code rustc --target wasm32-wasi}: every generated size assert holds.
 */
class ExampleRustTypesTest {
    private static final Path RUSTC = Path.of("/usr/bin/rustc");

    @TestFactory
    Stream<DynamicTest> everyExampleObjectsRustTypesCompileForWasm32() throws IOException {
        return ExampleObjects.built().stream()
                .map(object -> DynamicTest.dynamicTest(
                        object.getParent().getFileName() + "/" + object.getFileName(), () -> check(object)));
    }

    private static void check(Path object) throws Exception {
        TestEnvironment.require(
                Files.isExecutable(RUSTC) && Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-wasi")),
                "Debian's rustc with libstd-rust-dev-wasm32");
        String name = object.getParent().getFileName() + "_"
                + object.getFileName().toString().replace(".bpf.o", "");
        Btf btf = ObjectFile.read(object).btf().orElseThrow(() -> new AssertionError(object + " has no BTF"));
        String rs = new RustEmitter(btf).emitAll(object.getFileName().toString());
        long composites = btf.types().stream()
                .filter(t -> t instanceof BtfType.Composite c && !c.name().isEmpty())
                .count();
        long asserts = rs.lines()
                .filter(l -> l.startsWith("const _: () = assert!(core::mem::size_of::<"))
                .count();
        assertTrue(asserts >= composites, "a size assert per named struct/union: " + asserts + " < " + composites);
        Path dir = Files.createDirectories(Path.of("target", "rust-types"));
        Files.writeString(dir.resolve(name + ".rs"), rs);
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
    }
}
