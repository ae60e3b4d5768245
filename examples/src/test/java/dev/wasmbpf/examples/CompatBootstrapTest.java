package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbpf.bpf.testing.MarkerProgram;
import org.junit.jupiter.api.Test;

/** bootstrap as upstream wasm-bpf's article writes its user space (examples/compat-bootstrap): upstream API compatibility. */
class CompatBootstrapTest {

    @Test
    void articleStyleGuestReportsExecAndExitOfAMarkerProcess() throws Exception {
        try (ExampleRun run = ExampleRun.start("compatboot")) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            MarkerProgram.Ran marker = MarkerProgram.execOnce("cbmark");

            String exec = run.awaitLine(line -> line.contains(" EXEC ") && line.contains(marker.name()), "EXEC of marker");
            String[] f = exec.trim().split("\\s+");
            assertEquals(marker.name(), f[2], exec);
            assertEquals(Long.toString(marker.pid()), f[3], exec);
            assertEquals(Long.toString(ProcessHandle.current().pid()), f[4], "ppid: " + exec);

            String exit = run.awaitLine(line -> line.contains(" EXIT ") && line.contains(marker.name()), "EXIT of marker");
            String[] g = exit.trim().split("\\s+");
            assertEquals(Long.toString(marker.pid()), g[3], exit);
            assertEquals("[0]", g[5], "exit code: " + exit);
        }
    }
}
