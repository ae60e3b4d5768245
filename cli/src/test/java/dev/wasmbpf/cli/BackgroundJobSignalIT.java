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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./wasm-bpf x & … kill -INT $!} from a script: a non-interactive shell starts background jobs with
 * SIGINT ignored, and the JVM then installs no handler of its own. The CLI must stop on SIGINT anyway, as
 * native libbpf tools do.
 */
@ExtendWith(KillLeftoverProcesses.class)
class BackgroundJobSignalIT {
    /** Bit of SIGINT (2) in /proc/PID/status's SigIgn/SigCgt masks. */
    private static final long SIGINT_BIT = 1L << 1;

    private static long mask(List<String> status, String field) {
        return status.stream()
                .filter(l -> l.startsWith(field + ":"))
                .findFirst()
                .map(l -> Long.parseUnsignedLong(l.substring(field.length() + 1).trim(), 16))
                .orElseThrow(() -> new AssertionError("no " + field + " in " + status));
    }

    @Test
    void aScriptsBackgroundJobStopsOnSigint() throws Exception {
        KernelTestSupport.requireKernel();
        // The premise, checked rather than assumed: bash's background job really inherits an ignored SIGINT.
        Process probe = new ProcessBuilder("bash", "-c", "cat /proc/self/status & wait").start();
        List<String> probeStatus = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertTrue((mask(probeStatus, "SigIgn") & SIGINT_BIT) != 0, "bash did not ignore SIGINT in its background job");

        List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$@\" & echo \"PID $!\"; wait $!", "bash"));
        command.addAll(CliProcess.command(
                        "--no-compile-cache", CliProcess.guest("rel_exec").toString(), "cycles", "5", "hang")
                .command());
        ProcessBuilder builder = new ProcessBuilder(command);
        Path accounting = CliProcess.withAccounting(builder);
        Process script = builder.redirectErrorStream(true).start();
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        assertTrue(first != null && first.startsWith("PID "), "no pid line: " + first);
        long pid = Long.parseLong(first.substring(4).trim());
        String line;
        while ((line = reader.readLine()) != null && !line.equals("READY")) {
            // until the guest has loaded, attached and polled
        }
        assertEquals("READY", line, "guest never got ready");
        KernelObjects held = KernelTestSupport.objectIdsHeldBy(pid);
        assertFalse(held.programIds().isEmpty(), "nothing was loaded");
        List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        assertEquals(0, mask(status, "SigIgn") & SIGINT_BIT, "the CLI still ignores SIGINT: " + status);

        new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
        assertTrue(script.waitFor(60, TimeUnit.SECONDS), "the background CLI did not stop on SIGINT");
        assertEquals(0, script.exitValue(), "exit status after SIGINT (bash's wait returns the job's)");
        KernelTestSupport.assertReportedNothingHeld(accounting, "the background CLI after SIGINT");
        KernelTestSupport.assertGone(held, "the background CLI after SIGINT");
    }
}
