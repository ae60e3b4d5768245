package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbpf.testkit.MarkerProgram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootstrapTest {

    /** compatboot: bootstrap's user space as upstream wasm-bpf's article writes it (upstream C API). */
    @ParameterizedTest
    @ValueSource(strings = {"bootstrap", "compatboot"})
    void reportsExecAndExitOfAMarkerProcessWithItsPid(String example) throws Exception {
        try (ExampleRun run = ExampleRun.start(example)) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            MarkerProgram.Ran marker = MarkerProgram.execOnce("bsmark");

            String exec =
                    run.awaitLine(line -> line.contains(" EXEC ") && line.contains(marker.name()), "EXEC of marker");
            String[] f = exec.trim().split("\\s+");
            assertEquals(marker.name(), f[2], exec);
            assertEquals(Long.toString(marker.pid()), f[3], exec);
            assertEquals(Long.toString(ProcessHandle.current().pid()), f[4], "ppid: " + exec);

            String exit =
                    run.awaitLine(line -> line.contains(" EXIT ") && line.contains(marker.name()), "EXIT of marker");
            String[] g = exit.trim().split("\\s+");
            assertEquals(Long.toString(marker.pid()), g[3], exit);
            assertEquals("[0]", g[5], "exit code: " + exit);
        }
    }
}
