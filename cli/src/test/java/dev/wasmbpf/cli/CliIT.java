package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.KernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The wasm-bpf command as a process: arguments, exit status, errors, signals. */
@ExtendWith(KillLeftoverProcesses.class)
class CliIT {
    @TempDir
    Path temp;

    @Test
    void guestArgumentsPassUntouchedEvenWhenTheyLookLikeOptions() throws Exception {
        String out = CliProcess.run(0, CliProcess.guest("wasi_basics").toString(), "-h", "--verbose", "-d", "10");
        assertTrue(out.contains("ARG 1 -h"), out);
        assertTrue(out.contains("ARG 2 --verbose"), out);
        assertTrue(out.contains("ARG 4 10"), out);
    }

    @Test
    void envAndDirOptionsReachTheGuest() throws Exception {
        Files.writeString(temp.resolve("hello.txt"), "from the cli\n");
        String out = CliProcess.run(
                0,
                "--env",
                "A=B",
                "--dir",
                temp + "::/data",
                CliProcess.guest("wasi_basics").toString());
        assertTrue(out.contains("ENV A=B"), out);
        assertTrue(out.contains("FILE from the cli"), out);
    }

    @Test
    void aMissingModuleIsOneClearLineWithoutAStackTrace() throws Exception {
        String out = CliProcess.run(2, "/nonexistent/module.wasm");
        assertEquals("wasm-bpf: module file not found: /nonexistent/module.wasm", out.strip());
    }

    @Test
    void aFileThatIsNotWasmIsOneClearLine() throws Exception {
        Path junk = Files.writeString(temp.resolve("junk.wasm"), "not wasm at all");
        String out = CliProcess.run(2, junk.toString());
        assertTrue(out.strip().startsWith("wasm-bpf: ") && out.strip().lines().count() == 1, out);
        assertFalse(out.contains("Exception"), out);
    }

    @Test
    void aMissingImportIsOneClearLine() throws Exception {
        String out = CliProcess.run(2, CliProcess.guest("custom_host").toString());
        assertTrue(out.contains("unknown import demo."), out);
        assertEquals(1, out.strip().lines().count(), out);
    }

    @Test
    void exitStatusesFollowTheSpec() throws Exception {
        KernelTestSupport.requireKernel();
        CliProcess.run(3, CliProcess.guest("exit3").toString());
        CliProcess.run(255, CliProcess.guest("ret_minus1").toString());
        String trap = CliProcess.run(1, CliProcess.guest("trap").toString());
        assertTrue(trap.contains("trapped"), trap);
    }

    @Test
    void helpAndVersionWork() throws Exception {
        assertTrue(CliProcess.run(0, "--help").contains("--allow-attach"));
        assertTrue(CliProcess.run(0, "--version").contains("wasm-bpf"));
    }

    @Test
    void sigintAndSigtermStopTheGuestReleaseEverythingAndExitZero() throws Exception {
        KernelTestSupport.requireKernel();
        for (String signal : new String[] {"INT", "TERM"}) {
            ProcessBuilder builder =
                    CliProcess.withDefaultSignals(CliProcess.guest("sleeper").toString());
            Path accounting = CliProcess.withAccounting(builder);
            Process process = builder.redirectErrorStream(true).start();
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null && !line.equals("READY")) {
                // skip until attached
            }
            assertEquals("READY", line, "guest never got ready");
            KernelObjects held = KernelTestSupport.objectIdsHeldBy(process.pid());
            assertFalse(held.programIds().isEmpty(), "nothing was loaded");
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .start()
                    .waitFor();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not stop on SIG" + signal);
            assertEquals(0, process.exitValue(), "exit status after SIG" + signal);
            // Counted by the CLI itself after its release, while its fds still lived: the kernel closes them at exit.
            KernelTestSupport.assertReportedNothingHeld(accounting, "the CLI after SIG" + signal);
            KernelTestSupport.assertGone(held, "the CLI after SIG" + signal);
        }
    }
}
