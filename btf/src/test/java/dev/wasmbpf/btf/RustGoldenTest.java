package dev.wasmbpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.RustEmitter;
import dev.wasmbpf.btf.skeleton.RustSkeletonGenerator;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code format rust} and {@code gen skeleton --lang rust} for types.bpf.c against reviewed files
 * in src/test/resources/golden (clang 14's BTF, as GoldenTest). Regenerate after an intended
 * change with -Dgolden.update=true and review the diff.
 */
class RustGoldenTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @Test
    void rustOutputsMatchTheReviewedFiles() throws Exception {
        Path object = ObjectFixtures.types();
        String version = TestEnvironment.run(Path.of("."), List.of(TestEnvironment.clang(), "--version"));
        TestEnvironment.require(
                version.contains("version 14."),
                "clang 14 (the golden files' BTF comes from it), found: "
                        + version.lines().findFirst().orElse(""));
        ObjectFile obj = ObjectFile.read(object);
        String skeleton = new RustSkeletonGenerator(obj, List.of("flex"))
                .generate("types.bpf.o")
                // The embedded bytes change with every compiler build detail; the code around them must not.
                .replaceAll(
                        "(?s)pub static OBJECT: &\\[u8\\] = b\".*?\";\n",
                        "pub static OBJECT: &[u8] = b\"<elf bytes>\";\n");
        compare("types.rs", new RustEmitter(obj.btf().orElseThrow()).emitAll("types.bpf.o"));
        compare("types.skel.rs", skeleton);
    }

    private static void compare(String name, String actual) throws Exception {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
            return;
        }
        TestEnvironment.require(Files.exists(file), "golden file " + file + " (create with -Dgolden.update=true)");
        assertEquals(Files.readString(file), actual, name);
    }
}
