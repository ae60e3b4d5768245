package dev.wasmbpf.btf.testing;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.emit.CHeaderEmitter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * BPF objects built from src/test/resources/bpf with clang -target bpf, once per test JVM, into
 * target/test-bpf. exec.bpf.c includes the vmlinux.h our own emitter writes for this kernel.
 */
public final class ObjectFixtures {
    public static final Path DIR = Path.of("target", "test-bpf");

    private ObjectFixtures() {}

    public static synchronized Path types() throws Exception {
        return build("types", false);
    }

    public static synchronized Path exec() throws Exception {
        TestEnvironment.requireVmlinux();
        return build("exec", true);
    }

    private static Path build(String name, boolean needsVmlinux) throws Exception {
        String clang = TestEnvironment.clang();
        Files.createDirectories(DIR);
        Path object = DIR.resolve(name + ".bpf.o");
        Path source = DIR.resolve(name + ".bpf.c");
        byte[] current;
        try (InputStream in = ObjectFixtures.class.getResourceAsStream("/bpf/" + name + ".bpf.c")) {
            current = in.readAllBytes();
        }
        // Reused only when built from these very sources: a fixture from an older run of changed sources is stale.
        if (Files.exists(object)
                && Files.exists(source)
                && java.util.Arrays.equals(Files.readAllBytes(source), current)) {
            return object;
        }
        Files.deleteIfExists(object);
        Files.write(source, current);
        if (needsVmlinux) writeVmlinuxH();
        TestEnvironment.run(
                DIR,
                List.of(
                        clang,
                        "-g",
                        "-O2",
                        "-target",
                        "bpf",
                        "-D__TARGET_ARCH_x86",
                        "-I.",
                        "-I/usr/include/x86_64-linux-gnu",
                        "-c",
                        name + ".bpf.c",
                        "-o",
                        name + ".bpf.o.tmp"));
        Files.move(DIR.resolve(name + ".bpf.o.tmp"), object);
        return object;
    }

    private static void writeVmlinuxH() throws IOException, ToolchainException {
        Path header = DIR.resolve("vmlinux.h");
        if (Files.exists(header)) return;
        Btf btf = Btf.parse(Files.readAllBytes(TestEnvironment.VMLINUX));
        Files.writeString(header, new CHeaderEmitter(btf).emitAll("__VMLINUX_H__"));
    }
}
