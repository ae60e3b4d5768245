package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --verbose prints the run's lifecycle events; a missing --dir fails before the module starts. */
@ExtendWith(KillLeftoverProcesses.class)
class RunEventsCliIT {
    @Test
    void verbosePrintsTheLifecycleAndQuietDoesNot() throws Exception {
        KernelTestSupport.requireKernel();
        String verbose =
                CliProcess.run(3, "--verbose", CliProcess.guest("exit3").toString());
        assertTrue(verbose.contains("wasm-bpf: exit3.wasm: loaded BPF object 1 (programs "), verbose);
        assertTrue(verbose.contains("wasm-bpf: exit3.wasm: attached handle_exec ("), verbose);
        assertTrue(verbose.contains("wasm-bpf: exit3.wasm: ended (Exited[exitCode=3], exit status 3)"), verbose);

        String quiet = CliProcess.run(3, CliProcess.guest("exit3").toString());
        assertFalse(quiet.contains("wasm-bpf: "), quiet);
    }

    @Test
    void aDirThatDoesNotExistIsOneLineNamingIt() throws Exception {
        String out = CliProcess.run(
                2,
                "--dir",
                "/nonexistent-dir-of-the-test::/data",
                CliProcess.guest("wasi_basics").toString());
        assertEquals("wasm-bpf: cannot preopen /nonexistent-dir-of-the-test as /data: no such directory", out.strip());
    }
}
