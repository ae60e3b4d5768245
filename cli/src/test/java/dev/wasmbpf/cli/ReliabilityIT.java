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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI as a user meets it when things go wrong: runaway guests under --timeout and --max-memory, broken
 * modules, signals (SIGKILL included: the kernel must reclaim everything), and no privileges.
 */
@ExtendWith(KillLeftoverProcesses.class)
class ReliabilityIT {
    @TempDir
    Path temp;

    /** Exit status, stdout and stderr of one CLI run. */
    record Run(int exit, List<String> stdout, List<String> stderr) {}

    private static Run run(ProcessBuilder builder) throws Exception {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
        Run run = new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private static Run cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--no-compile-cache"));
        all.addAll(List.of(args));
        return run(CliProcess.command(all.toArray(String[]::new)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"loop", "nap"})
    void timeoutStopsARunawayGuestWithStatus124AndOneLine(String mode) throws Exception {
        Run run = cli("--timeout", "2s", CliProcess.guest("rel_runaway").toString(), mode);
        assertEquals(124, run.exit(), run.toString());
        assertEquals(1, run.stderr().size(), run.stderr().toString());
        assertTrue(
                run.stderr().getFirst().contains("timed out after 2s"),
                run.stderr().getFirst());
    }

    /** Chicory's interpreter can't interrupt a br_if loop: the guest is abandoned, its objects released. */
    @Test
    void timeoutEndsAnUninterruptibleInterpretedGuestAndReleasesItsObjects() throws Exception {
        KernelTestSupport.requireKernel();
        List<String> all = List.of(
                "--no-compile-cache",
                "--interpreter",
                "--timeout",
                "10s",
                CliProcess.guest("rel_runaway").toString(),
                "hold-spin");
        ProcessBuilder builder = CliProcess.command(all.toArray(String[]::new));
        Path accounting = CliProcess.withAccounting(builder);
        // Long enough for the guest to load, attach and reach its loop: before it, it would stop at its next call.
        Run run = run(builder);
        assertEquals(124, run.exit(), run.toString());
        assertTrue(
                run.stderr().stream().anyMatch(line -> line.contains("did not stop within 5s")),
                run.stderr().toString());
        assertTrue(
                run.stderr().stream().anyMatch(line -> line.contains("timed out after 10s")),
                run.stderr().toString());
        KernelTestSupport.assertReportedNothingHeld(accounting, "the CLI that abandoned its guest");
    }

    @Test
    void maxMemoryRefusesGrowthAndTheTrapEndsWithStatus125() throws Exception {
        Run run = cli("--max-memory", "16M", CliProcess.guest("rel_runaway").toString(), "hog");
        assertEquals(125, run.exit(), run.toString());
        assertTrue(
                run.stderr().getFirst().contains("refused: memory limit 16777216 bytes reached"),
                run.stderr().toString());
        assertTrue(
                run.stdout().stream().anyMatch(line -> line.startsWith("MALLOC_FAILED")),
                run.stdout().toString());
    }

    @Test
    void badLimitValuesAreUsageErrors() throws Exception {
        for (String[] args : new String[][] {
            {"--timeout", "soon"}, {"--timeout", "0s"}, {"--max-memory", "1K"}, {"--max-memory", "lots"}
        }) {
            List<String> all = new ArrayList<>(Arrays.asList(args));
            all.add(CliProcess.guest("rel_tiny").toString());
            Run run = cli(all.toArray(String[]::new));
            assertEquals(2, run.exit(), Arrays.toString(args) + ": " + run);
            assertTrue(
                    String.join("\n", run.stderr()).contains(args[1]),
                    run.stderr().toString());
        }
    }

    @Test
    void brokenModulesFailWithStatus2AndOneLine() throws Exception {
        byte[] good = Files.readAllBytes(CliProcess.guest("rel_tiny"));
        byte[] hugeCustom = Arrays.copyOf(good, good.length + 7);
        // A custom section claiming a 2 GiB name: this once took the JVM down inside the parser.
        System.arraycopy(
                new byte[] {0, 5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
                0,
                hugeCustom,
                good.length,
                7);
        byte[] flipped = good.clone();
        flipped[9] ^= 0x40;
        byte[][] broken = {
            Arrays.copyOf(good, good.length / 2), "not wasm".getBytes(StandardCharsets.UTF_8), hugeCustom, flipped
        };
        for (int i = 0; i < broken.length; i++) {
            Path module = temp.resolve("broken" + i + ".wasm");
            Files.write(module, broken[i]);
            Run run = cli(module.toString());
            assertEquals(2, run.exit(), "broken module " + i + ": " + run);
            assertEquals(1, run.stderr().size(), "broken module " + i + ": " + run.stderr());
            assertTrue(
                    run.stderr().getFirst().startsWith("wasm-bpf: "),
                    run.stderr().getFirst());
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM", "KILL"})
    void everySignalLeavesNothingInTheKernel(String signal) throws Exception {
        KernelTestSupport.requireKernel();
        ProcessBuilder builder = CliProcess.withDefaultSignals(
                "--no-compile-cache", CliProcess.guest("rel_exec").toString(), "cycles", "5", "hang");
        Path accounting = CliProcess.withAccounting(builder);
        Process process = builder.redirectErrorStream(true).start();
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null && !line.equals("READY")) {
            // skip until the last object is loaded, attached and polled
        }
        assertEquals("READY", line, "guest never got ready");
        KernelObjects held = KernelTestSupport.objectIdsHeldBy(process.pid());
        assertFalse(held.programIds().isEmpty(), "nothing was loaded");
        assertTrue(KernelTestSupport.perfEventFds(process.pid()) > 0, "the tracepoint's perf event is not open");
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .start()
                .waitFor();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not stop on SIG" + signal);
        assertEquals(signal.equals("KILL") ? 137 : 0, process.exitValue(), "exit status after SIG" + signal);
        if (signal.equals("KILL")) {
            // SIGKILL leaves the CLI no chance to release or report: this checks that the kernel reclaims.
            assertFalse(Files.exists(accounting), "a SIGKILLed CLI cannot have reported");
        } else {
            // The CLI's own count after its release, while its fds still lived: the kernel closes them at exit.
            KernelTestSupport.assertReportedNothingHeld(accounting, "the CLI after SIG" + signal);
        }
        KernelTestSupport.assertGone(held, "the CLI after SIG" + signal);
    }

    @Test
    void withoutPrivilegesLoadingFailsWithOneLineNamingTheCapabilities() throws Exception {
        KernelTestSupport.requireKernel();
        KernelTestSupport.requireFeature("setpriv", Files.isExecutable(Path.of("/usr/bin/setpriv")));
        List<String> command = new ArrayList<>(
                List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"));
        command.addAll(CliProcess.command(
                        "--no-compile-cache", CliProcess.guest("rel_exec").toString(), "hold")
                .command());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", temp.toString());
        temp.toFile().setWritable(true, false);
        Run run = run(builder);
        assertEquals(1, run.exit(), run.toString());
        assertEquals(List.of("LOAD_FAILED"), run.stdout());
        List<String> capabilityLines =
                run.stderr().stream().filter(l -> l.contains("CAP_BPF")).toList();
        assertEquals(1, capabilityLines.size(), run.stderr().toString());
        String message = capabilityLines.getFirst();
        assertTrue(message.startsWith("wasm-bpf: loading BPF object failed: operation not permitted"), message);
        assertTrue(message.contains("CAP_PERFMON") && message.contains("CAP_SYS_ADMIN"), message);
        assertTrue(message.contains("this process lacks CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN"), message);
    }

    @Test
    void inAUserNamespaceTheOneLineSaysItsCapabilitiesDoNotCount() throws Exception {
        KernelTestSupport.requireKernel();
        boolean userNamespaces =
                new ProcessBuilder("unshare", "-U", "-r", "true").start().waitFor() == 0;
        KernelTestSupport.requireFeature("unprivileged user namespaces (unshare -U)", userNamespaces);
        List<String> command = new ArrayList<>(List.of("unshare", "-U", "-r"));
        command.addAll(CliProcess.command(
                        "--no-compile-cache", CliProcess.guest("rel_exec").toString(), "hold")
                .command());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", temp.toString());
        Run run = run(builder);
        assertEquals(1, run.exit(), run.toString());
        List<String> capabilityLines =
                run.stderr().stream().filter(l -> l.contains("CAP_BPF")).toList();
        assertEquals(1, capabilityLines.size(), run.stderr().toString());
        assertTrue(
                capabilityLines.getFirst().contains("capabilities inside a user namespace do not count for bpf()"),
                capabilityLines.getFirst());
    }
}
