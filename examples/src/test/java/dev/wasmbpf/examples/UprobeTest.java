package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class UprobeTest {

    @Test
    void reportsTheArgumentsAndTheReturnValueOfEachCall() throws Exception {
        Path target = ExampleRun.built("uprobe", "uprobe_target").toAbsolutePath();
        RunConfig.Builder config = RunConfig.builder().args(target.toString()).allowAttach(target.getParent());
        try (ExampleRun run = ExampleRun.start("uprobe", config)) {
            run.awaitLine(line -> line.startsWith("PID "), "header");
            // Marker arguments: values no other caller of the function would pass.
            int a = 100_000 + ThreadLocalRandom.current().nextInt(800_000);
            int b = -ThreadLocalRandom.current().nextInt(50_000);
            Process process = new ProcessBuilder(target.toString(), Integer.toString(a), Integer.toString(b)).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, process.waitFor());
            assertEquals(Integer.toString(a + b), printed, "the target's own sum");

            String call = run.awaitLine(
                    line -> line.endsWith("uprobed_add(" + a + ", " + b + ")"), "call with " + a + ", " + b);
            String[] f = call.trim().split("\\s+");
            assertEquals(Long.toString(process.pid()), f[0], call);
            assertEquals("uprobe_target", f[1], call);

            String ret =
                    run.awaitLine(line -> line.endsWith("uprobed_add returned " + (a + b)), "return of " + (a + b));
            assertEquals(Long.toString(process.pid()), ret.trim().split("\\s+")[0], ret);
            assertTrue(run.out().lines().indexOf(call) < run.out().lines().indexOf(ret), "call before return");
        }
    }

    @Test
    void refusesABinaryOutsideTheAllowedPaths() throws Exception {
        Path target = ExampleRun.built("uprobe", "uprobe_target").toAbsolutePath();
        try (ExampleRun run = ExampleRun.start("uprobe", target.toString())) {
            assertEquals(new RunResult.Exited(1), run.awaitExit(), run.err().text());
            assertTrue(
                    run.err().text().contains("Permission denied (grant the directory with --allow-attach)"),
                    run.err().text());
        }
    }
}
