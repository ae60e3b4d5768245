package dev.wasmbpf.btf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbpf.testkit.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the toolchain's tests need of their environment (clang, kernel BTF, wasi-libc); whether a missing
 * one skips or fails is the testkit's {@link Prerequisites} decision.
 */
public final class TestEnvironment {
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private TestEnvironment() {}

    public static void require(boolean available, String what) {
        Prerequisites.require(what, available);
    }

    public static void requireVmlinux() {
        require(Files.isReadable(VMLINUX), "kernel BTF at " + VMLINUX + " (CONFIG_DEBUG_INFO_BTF=y, Linux 5.4+)");
    }

    public static String clang() {
        for (String c : List.of("clang", "clang-14", "clang-15", "clang-16", "clang-17", "clang-18")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, c))) return Path.of(dir, c).toString();
            }
        }
        require(false, "clang (for -target bpf and --target=wasm32-wasi)");
        return null;
    }

    public static void requireWasiSysroot() {
        require(
                Files.isDirectory(Path.of("/usr/include/wasm32-wasi")),
                "wasi-libc headers in /usr/include/wasm32-wasi");
    }

    /** Runs a command; returns its combined output, or fails the test with it on non-zero exit. */
    public static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .directory(dir.toFile())
                .redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n"
                    + text.lines().limit(60).reduce("", (a, b) -> a + b + "\n"));
        }
        return text;
    }
}
