package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node agent's client commands, as a user types them, against a real daemon started from the CLI jar. */
class DaemonCliIT {
    @TempDir
    Path dir;

    @Test
    void clientCommandsWithoutADaemonSayWhereTheyLookedInOneLine() throws Exception {
        String host = "unix://" + dir.resolve("none.sock");
        String out = CliProcess.run(1, "ps", "-H", host);
        assertEquals(1, out.strip().lines().count(), out);
        assertTrue(out.startsWith("wasm-bpf: cannot connect to the wasm-bpf daemon at " + host), out);
        assertTrue(CliProcess.run(1, "ps", "-H", "tcp://x").contains("--host must be unix:///"));
    }

    @Test
    void runDetachedPsLogsPauseUnpauseStopRmInspect() throws Exception {
        KernelTestSupport.requireKernel();
        Path socket = dir.resolve("d.sock");
        Path log = dir.resolve("daemon.log");
        Process daemon = CliProcess.command("daemon", "--socket", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String host = "unix://" + socket;
        try {
            await(
                    "daemon listening",
                    () -> Files.exists(socket) && Files.readString(log).contains("listening"),
                    daemon,
                    log);

            String id = CliProcess.run(0, "run", "-d", "--name", "b1", "-H", host, "bootstrap")
                    .strip();
            assertTrue(id.matches("[0-9a-f]{12}"), id);
            // A local file is uploaded; the guest exits 3 at once.
            String exiter = CliProcess.run(
                            0,
                            "run",
                            "--detach",
                            "-H",
                            host,
                            CliProcess.guest("exit3").toString())
                    .strip();
            assertTrue(exiter.matches("[0-9a-f]{12}"), exiter);

            await("b1 running", () -> client(host, "ps").contains("running"), daemon, log);
            String ps = client(host, "ps");
            assertTrue(ps.startsWith("ID"), ps);
            assertTrue(ps.contains(id) && ps.contains("b1") && ps.contains("bootstrap"), ps);
            await("exit3 exited", () -> client(host, "ps", "-a").contains("exited(3)"), daemon, log);
            assertTrue(!client(host, "ps").contains(exiter), "ps without -a hides ended modules");

            Process exec = new ProcessBuilder("/bin/true").start();
            exec.waitFor();
            String pid = " " + exec.pid() + " ";
            await("exec in logs", () -> client(host, "logs", "b1").contains(pid), daemon, log);

            Path followed = dir.resolve("follow.txt");
            Process follow = CliProcess.command("logs", "-f", "-H", host, "b1")
                    .redirectOutput(followed.toFile())
                    .start();
            Process second = new ProcessBuilder("/bin/true").start();
            second.waitFor();
            String secondPid = " " + second.pid() + " ";
            await("second exec followed", () -> Files.readString(followed).contains(secondPid), daemon, log);

            // `logs -f b1 | head -n 1`: the follow ends when head goes (as SIGPIPE ends docker logs), b1 runs on.
            List<String> piped = CliProcess.pipedIntoHead(1, CliProcess.command("logs", "-f", "-H", host, "b1"))
                    .lines()
                    .toList();
            assertEquals(List.of(piped.get(0), "STATUS " + ProcessOutput.EXIT_READER_GONE), piped);
            assertTrue(client(host, "ps").contains("running"), "b1 stopped with the follow");

            assertEquals("b1", CliProcess.run(0, "pause", "-H", host, "b1").strip());
            assertTrue(CliProcess.run(0, "inspect", "-H", host, "b1").contains("\"state\" : \"paused\""));
            assertEquals("b1", CliProcess.run(0, "unpause", "-H", host, "b1").strip());
            // Without --host: a name that is no file, reference or example asks the daemon ($WASM_BPF_HOST).
            ProcessBuilder inspect = CliProcess.command("inspect", id).redirectErrorStream(true);
            inspect.environment().put("WASM_BPF_HOST", host);
            Process inspected = inspect.start();
            String inspectOut = new String(inspected.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, inspected.waitFor(), inspectOut);
            assertTrue(inspectOut.contains("\"kernelObjects\""), inspectOut);

            String refused = CliProcess.run(1, "rm", "-H", host, "b1");
            assertTrue(refused.contains("Error response from daemon:") && refused.contains("(force)"), refused);
            assertEquals(
                    "b1", CliProcess.run(0, "stop", "-t", "2", "-H", host, "b1").strip());
            assertTrue(follow.waitFor(30, TimeUnit.SECONDS), "logs -f ends when the module ends");
            assertEquals(0, follow.exitValue());
            assertTrue(Files.readString(followed).contains(pid), "logs -f starts with the output kept");
            assertEquals(
                    "b1\n" + exiter,
                    CliProcess.run(0, "rm", "-H", host, "b1", exiter).strip());
            assertTrue(CliProcess.run(1, "rm", "-H", host, "b1").contains("no module with id or name b1 (id)"));
            assertTrue(
                    CliProcess.run(0, "inspect", "bootstrap").contains("handle_exec"),
                    "inspect of an example is unchanged");

            daemon.destroy();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, daemon.exitValue(), Files.readString(log));
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void overTcpTheClientSendsTheTokenOfWasmBpfToken() throws Exception {
        Path socket = dir.resolve("d.sock");
        Path log = dir.resolve("daemon.log");
        Path token = dir.resolve("token");
        Files.writeString(token, "t0k3n\n");
        Process daemon = CliProcess.command(
                        "daemon",
                        "--socket",
                        socket.toString(),
                        "--listen",
                        "127.0.0.1:0",
                        "--token-file",
                        token.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            java.util.regex.Pattern tcp = java.util.regex.Pattern.compile("listening on tcp:127\\.0\\.0\\.1:(\\d+)");
            await(
                    "daemon listening on tcp",
                    () -> tcp.matcher(Files.readString(log)).find(),
                    daemon,
                    log);
            java.util.regex.Matcher port = tcp.matcher(Files.readString(log));
            assertTrue(port.find());
            String host = "tcp://127.0.0.1:" + port.group(1);

            ProcessBuilder withToken = CliProcess.command("ps", "-H", host).redirectErrorStream(true);
            withToken.environment().put("WASM_BPF_TOKEN", "t0k3n");
            Process ps = withToken.start();
            String table = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, ps.waitFor(), table);
            assertTrue(table.startsWith("ID"), table);

            ProcessBuilder wrong = CliProcess.command("ps", "-H", host).redirectErrorStream(true);
            wrong.environment().put("WASM_BPF_TOKEN", "not-it");
            Process refused = wrong.start();
            String error = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, refused.waitFor(), error);
            assertTrue(error.contains("token") && error.contains("Authorization"), error);
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static String client(String host, String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("-H", host));
        try {
            return CliProcess.run(0, line.toArray(String[]::new));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check, Process daemon, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!check.holds()) {
            assertTrue(daemon.isAlive(), "daemon died waiting for " + what + ": " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "gave up waiting for " + what + ": " + Files.readString(log));
            Thread.sleep(100);
        }
    }
}
