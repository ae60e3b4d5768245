package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.KernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.oci.testing.BundledExamples;
import dev.wasmbpf.oci.testing.LocalRegistry;
import dev.wasmbpf.testkit.MarkerProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * push, pull, run and inspect as processes against a real registry: Debian's docker-registry on
 * 127.0.0.1 (plain HTTP, a free port, temporary storage), cross-checked with skopeo.
 */
@ExtendWith(KillLeftoverProcesses.class)
class OciIT {
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");

    @RegisterExtension
    static final LocalRegistry.PerClass registry = new LocalRegistry.PerClass();

    @TempDir
    Path temp;

    @Test
    void pushPullAndRunBootstrapByReference() throws Exception {
        KernelTestSupport.requireKernel();
        Path module = bootstrap();
        String ref = registry.host() + "/examples/bootstrap:v1";

        Result push =
                cli(0, "push", "--plain-http", "--source", "https://example.org/wasm-bpf", ref, module.toString());
        String pinned = push.stdout().strip();
        assertTrue(pinned.matches("127\\.0\\.0\\.1:\\d+/examples/bootstrap@sha256:[0-9a-f]{64}"), push.toString());

        Path pulled = temp.resolve("pulled.wasm");
        Result pull = cli(0, "pull", "--plain-http", ref, "-o", pulled.toString());
        assertEquals(pulled.toString(), pull.stdout().strip());
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(pulled));
        assertArrayEquals(
                Files.readAllBytes(module), Files.readAllBytes(cacheEntry(sha256(Files.readAllBytes(module)))));

        // By digest this time: the layer comes from the cache, the module runs and sees real execs.
        ProcessBuilder builder = CliProcess.withDefaultSignals("run", "--plain-http", pinned);
        Path accounting = CliProcess.withAccounting(builder);
        Process process = start(builder);
        destroyIfStuck(process);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        awaitLine(out, line -> line.startsWith("TIME "), "bootstrap header", process);
        String marker = MarkerProgram.execOnce("oci").name();
        awaitLine(out, line -> line.contains(" EXEC ") && line.contains(marker), "EXEC of " + marker, process);
        KernelObjects held = KernelTestSupport.objectIdsHeldBy(process.pid());
        assertFalse(held.programIds().isEmpty(), "nothing was loaded");
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGINT");
        assertEquals(0, process.exitValue());
        KernelTestSupport.assertReportedNothingHeld(accounting, "wasm-bpf run " + pinned);
        KernelTestSupport.assertGone(held, "wasm-bpf run " + pinned);
    }

    @Test
    void runPassesOptionsGuestArgumentsAndExitStatusThrough() throws Exception {
        KernelTestSupport.requireKernel();
        String basics = registry.host() + "/guests/wasi-basics:v1";
        cli(0, "push", "--plain-http", basics, CliProcess.guest("wasi_basics").toString());
        Files.writeString(temp.resolve("hello.txt"), "from the registry\n");
        Result run =
                cli(0, "run", "--plain-http", "--env", "A=B", "--dir", temp + "::/data", basics, "-h", "--verbose");
        assertTrue(run.stdout().contains("ENV A=B"), run.toString());
        assertTrue(run.stdout().contains("FILE from the registry"), run.toString());
        assertTrue(run.stdout().contains("ARG 1 -h"), run.toString());
        assertTrue(run.stdout().contains("ARG 2 --verbose"), run.toString());

        String exit3 = registry.host() + "/guests/exit3:v1";
        cli(0, "push", "--plain-http", exit3, CliProcess.guest("exit3").toString());
        cli(3, "run", "--plain-http", exit3);
        // A local file still runs through `run`, as through plain wasm-bpf.
        cli(3, "run", CliProcess.guest("exit3").toString());
    }

    @Test
    void aTamperedLayerIsOneClearLineAndNeverRuns() throws Exception {
        // Registries store blobs once per digest: tamper with a module no other test pushes.
        Path module = Files.write(
                temp.resolve("unique.wasm"),
                BundledExamples.withCustomSection(Files.readAllBytes(bootstrap()), "tamper-" + System.nanoTime()));
        String ref = registry.host() + "/tamper/bootstrap:v1";
        cli(0, "push", "--plain-http", ref, module.toString());
        Path stored = registry.blobData(sha256(Files.readAllBytes(module)));
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(stored, bytes);

        Result pull = cli(1, "pull", "--plain-http", ref);
        assertOneLine(
                pull,
                "wasm-bpf: digest mismatch for the module layer of " + ref + ": expected "
                        + sha256(Files.readAllBytes(module)) + ", got sha256:");
        Result run = cli(2, "run", "--plain-http", ref);
        assertOneLine(run, "wasm-bpf: digest mismatch for the module layer of " + ref);
        assertFalse(Files.exists(cacheEntry(sha256(Files.readAllBytes(module)))), "tampered bytes must not be cached");
    }

    @Test
    void aMissingTagIsOneClearLine() throws Exception {
        cli(
                0,
                "push",
                "--plain-http",
                registry.host() + "/present/exit3:v1",
                CliProcess.guest("exit3").toString());
        assertOneLine(
                cli(1, "pull", "--plain-http", registry.host() + "/present/exit3:v2"),
                "wasm-bpf: not found: " + registry.host() + "/present/exit3:v2");
        assertOneLine(
                cli(2, "run", "--plain-http", registry.host() + "/absent/exit3:v1"),
                "wasm-bpf: not found: " + registry.host() + "/absent/exit3:v1");
        assertOneLine(cli(1, "pull", "not-a-reference"), "wasm-bpf: bad reference not-a-reference");
        // HTTPS (the default) against a plain-HTTP registry says what to do.
        Result tls = cli(1, "pull", registry.host() + "/present/exit3:v1");
        assertOneLine(tls, "wasm-bpf: cannot pull " + registry.host() + "/present/exit3:v1: TLS failed");
        assertTrue(tls.stderr().contains("--plain-http"), tls.toString());
    }

    @Test
    void skopeoReadsWhatWePushedAndCopiesItToADirectory() throws Exception {
        LocalRegistry.requireTool("skopeo", SKOPEO, "apt-get install skopeo");
        Path module = bootstrap();
        String ref = registry.host() + "/interop/bootstrap:v1";
        cli(0, "push", "--plain-http", ref, module.toString());

        String raw = run(List.of(SKOPEO.toString(), "inspect", "--tls-verify=false", "--raw", "docker://" + ref));
        assertTrue(raw.contains("\"application/vnd.wasm.config.v0+json\""), raw);
        assertTrue(raw.contains("\"application/wasm\""), raw);
        assertTrue(
                raw.contains(
                        "\"dev.wasmbpf.bpf.programs\":\"handle_exec:tp/sched/sched_process_exec,handle_exit:tp/sched/sched_process_exit\""),
                raw);

        Path dir = temp.resolve("copied");
        run(List.of(SKOPEO.toString(), "copy", "--src-tls-verify=false", "docker://" + ref, "dir:" + dir));
        String layerHex = sha256(Files.readAllBytes(module)).substring("sha256:".length());
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(dir.resolve(layerHex)));
        assertEquals(raw.strip(), Files.readString(dir.resolve("manifest.json")).strip());
    }

    @Test
    void inspectShowsImportsProgramsMapsAndKernelNeedsOfAFileAndOfAReference() throws Exception {
        Path module = bootstrap();
        Result file = cli(0, "inspect", module.toString());
        String out = file.stdout();
        assertTrue(out.contains("wasm_bpf.wasm_load_bpf_object function (i32, i32) -> (i64)"), out);
        assertTrue(out.contains("wasi_snapshot_preview1."), out);
        assertTrue(out.matches("(?s).*program handle_exec +tp/sched/sched_process_exec +tracepoint.*"), out);
        assertTrue(out.matches("(?s).*map +rb +ringbuf +max_entries \\d+.*"), out);
        assertTrue(out.contains("Kernel requirements (Linux >= 5.8), checked against this kernel, "), out);
        // This test's kernel runs bootstrap (pushPullAndRunBootstrapByReference), so it has ring buffers.
        assertTrue(out.contains("[ok]      map type ringbuf (Linux >= 5.8): map rb"), out);

        String ref = registry.host() + "/inspect/bootstrap:v1";
        // A bundled example is pushed by its name.
        cli(
                0,
                "push",
                "--plain-http",
                "-a",
                "org.opencontainers.image.description=process lifecycle",
                ref,
                "bootstrap");
        Result remote = cli(0, "inspect", "--plain-http", ref);
        assertTrue(
                remote.stdout().contains("org.opencontainers.image.description=process lifecycle"), remote.toString());
        assertTrue(remote.stdout().contains("dev.wasmbpf.kernel.min-version=5.8"), remote.toString());
        assertTrue(remote.stdout().contains("org.opencontainers.image.title=bootstrap.wasm"), remote.toString());
        assertTrue(
                remote.stdout()
                        .contains("(" + Files.size(module) + " bytes, " + sha256(Files.readAllBytes(module)) + ")"),
                remote.toString());
        assertTrue(
                remote.stdout().matches("(?s).*program handle_exit +tp/sched/sched_process_exit +tracepoint.*"),
                remote.toString());

        assertOneLine(cli(1, "inspect", temp.resolve("nothing.wasm").toString()), "wasm-bpf: no module file ");
    }

    @Test
    void credentialsComeFromStdinOrTheDockerConfig() throws Exception {
        try (LocalRegistry secured = LocalRegistry.startWithLogin("tester", "s3cret-pass")) {
            String ref = secured.host() + "/private/exit3:v1";
            Path exit3 = CliProcess.guest("exit3");
            assertOneLine(cli(1, "push", "--plain-http", ref, exit3.toString()), "wasm-bpf: access denied (HTTP 401)");

            ProcessBuilder push =
                    command("push", "--plain-http", "--username", "tester", "--password-stdin", ref, exit3.toString());
            Result pushed = finish(push, "s3cret-pass\n");
            assertEquals(0, pushed.exit(), pushed.toString());

            assertOneLine(cli(1, "pull", "--plain-http", ref), "wasm-bpf: access denied (HTTP 401)");

            Path home = Files.createDirectories(temp.resolve("home/.docker")).getParent();
            String auth = Base64.getEncoder().encodeToString("tester:s3cret-pass".getBytes(StandardCharsets.UTF_8));
            Files.writeString(
                    home.resolve(".docker/config.json"),
                    "{\"auths\":{\"" + secured.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            ProcessBuilder pull = withJvmOption("-Duser.home=" + home, command("pull", "--plain-http", ref));
            Result pulled = finish(pull, "");
            assertEquals(0, pulled.exit(), pulled.toString());
            assertArrayEquals(
                    Files.readAllBytes(exit3),
                    Files.readAllBytes(Path.of(pulled.stdout().strip())));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private Path bootstrap() throws Exception {
        return BundledExamples.file("bootstrap", temp);
    }

    private Path cacheEntry(String digest) {
        return temp.resolve("cache/blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** The CLI with its module cache inside this test's temporary directory. */
    private ProcessBuilder command(String... args) {
        ProcessBuilder builder = CliProcess.command(args);
        builder.environment().put("WASM_BPF_CACHE", temp.resolve("cache").toString());
        return builder;
    }

    private Process start(ProcessBuilder builder) throws Exception {
        builder.environment().put("WASM_BPF_CACHE", temp.resolve("cache").toString());
        return builder.redirectErrorStream(true).start();
    }

    private static ProcessBuilder withJvmOption(String option, ProcessBuilder builder) {
        List<String> command = new ArrayList<>(builder.command());
        command.add(1, option);
        return builder.command(command);
    }

    private Result cli(int expectedExit, String... args) throws Exception {
        Result result = finish(command(args), "");
        assertEquals(expectedExit, result.exit(), "wasm-bpf " + String.join(" ", args) + "\n" + result);
        return result;
    }

    private static Result finish(ProcessBuilder builder, String stdin) throws Exception {
        Path err = Files.createTempFile("wasmbpf-cli-", ".err");
        try {
            Process process = builder.redirectError(err.toFile()).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
            return new Result(process.exitValue(), stdout, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void assertOneLine(Result result, String prefix) {
        String stderr = result.stderr().strip();
        assertTrue(stderr.startsWith(prefix), "expected stderr to start with <" + prefix + ">\n" + result);
        assertEquals(1, stderr.lines().count(), "one line expected\n" + result);
        assertFalse(stderr.contains("Exception"), result.toString());
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), command + "\n" + output);
        return output;
    }

    private static void awaitLine(
            BufferedReader out, java.util.function.Predicate<String> match, String what, Process process)
            throws Exception {
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            if (match.test(line)) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError(
                "no " + what + " before the output ended (alive: " + process.isAlive() + "):\n" + seen);
    }

    /** A safety net, not a timing assertion: a run that never prints what we wait for is ended so readLine returns. */
    private static void destroyIfStuck(Process process) {
        Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
