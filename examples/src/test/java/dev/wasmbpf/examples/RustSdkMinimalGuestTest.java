package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.testkit.MarkerProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The complete minimal guest of sdk/rust/README.md (sdk/rust/examples/minimal.rs, built by the
 * pom's rust-sdk-check) works on the kernel: .rodata patched before load, attach_all, .bss read
 * back with a map lookup, and everything released when it returns.
 */
class RustSdkMinimalGuestTest {

    @Test
    void countsExecsThroughItsBssCounter() throws Exception {
        Path module = Path.of(System.getProperty(
                "wasmbpf.rust.sdk.minimal", "target/rust-sdk-check/target/wasm32-wasi/release/examples/minimal.wasm"));
        assertTrue(Files.exists(module), "not built: " + module);
        try (ExampleRun run = ExampleRun.start("minimal", module, RunConfig.builder())) {
            run.awaitLine(line -> line.equals("counting execs"), "attached");
            // Three execs of our own, attached and within its first second: its counter must have seen them
            // (other processes may add more: only a lower bound is ours to assert).
            for (int i = 0; i < 3; i++) MarkerProgram.execOnce("rsdk");
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            List<Long> seen = run.out().lines().stream()
                    .filter(l -> l.startsWith("execs seen: "))
                    .map(l -> Long.parseLong(l.substring(12)))
                    .toList();
            assertEquals(3, seen.size(), run.out().text());
            assertTrue(seen.getFirst() >= 3, "the marker execs were counted: " + seen);
            assertTrue(seen.get(0) <= seen.get(1) && seen.get(1) <= seen.get(2), "a counter only grows: " + seen);
        }
    }
}
