package dev.wasmbpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.CHeaderEmitter;
import dev.wasmbpf.btf.emit.WasmHeaderEmitter;
import dev.wasmbpf.btf.emit.WitEmitter;
import dev.wasmbpf.btf.skeleton.SkeletonGenerator;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every output format for types.bpf.c against reviewed files in src/test/resources/golden.
 * The object's BTF depends on the compiler, so the files are for clang 14 (this project's
 * toolchain). Regenerate after an intended change with -Dgolden.update=true and review the diff.
 */
class GoldenTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @Test
    void outputsMatchTheReviewedFiles() throws Exception {
        Path object = ObjectFixtures.types();
        String version = TestEnvironment.run(Path.of("."), List.of(TestEnvironment.clang(), "--version"));
        TestEnvironment.require(
                version.contains("version 14."),
                "clang 14 (the golden files' BTF comes from it), found: "
                        + version.lines().findFirst().orElse(""));
        ObjectFile obj = ObjectFile.read(object);
        Btf btf = obj.btf().orElseThrow();
        String skeleton = new SkeletonGenerator(obj, "types_bpf").generate();
        // The embedded bytes change with every compiler build detail; the code around them must not.
        skeleton = skeleton.replaceAll(
                        "(?s)return \\(const void \\*\\)\"\\\\\n.*?\";\n", "return (const void *)\"<elf bytes>\";\n")
                .replaceAll("\\*sz = \\d+;", "*sz = <size>;");
        compare("types.h", new CHeaderEmitter(btf).emitAll("__TYPES_H__"));
        compare("types.wasm.h", new WasmHeaderEmitter(btf).emitAll("__TYPES_WASM_H__"));
        compare("types.wit", new WitEmitter(btf).emit("types", null));
        compare("types.skel.h", skeleton);
    }

    private static void compare(String name, String actual) throws Exception {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
            return;
        }
        TestEnvironment.require(Files.exists(file), "golden file " + file + " (create with -Dgolden.update=true)");
        assertEquals(Files.readString(file), actual, name);
    }
}
