package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A real daemon process for a test, asked over its socket by real curl. */
final class DaemonProcess implements AutoCloseable {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    final Path socket;
    final Path log;
    final Process process;

    private DaemonProcess(Path socket, Path log, Process process) {
        this.socket = socket;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code wasm-bpf daemon --socket DIR/d.sock OPTIONS} and waits until it listens. */
    /** A test guest the runtime module's build compiled ({@code runtime/src/test/c}), by name. */
    static Path testGuest(String name) {
        return Path.of(System.getProperty("wasmbpf.test.guests", "../runtime/target/test-guests"), name + ".wasm");
    }

    static DaemonProcess start(Path dir, String... options) throws Exception {
        Path socket = dir.resolve("d.sock");
        Path log = dir.resolve("daemon.log");
        DaemonProcess daemon = new DaemonProcess(socket, log, launch(dir, options));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket) || !Files.readString(log).contains("listening")) {
            if (!daemon.process.isAlive() || System.nanoTime() > deadline) {
                daemon.close();
                throw new AssertionError("daemon did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return daemon;
    }

    /**
     * The class path a forked daemon runs on: the test JVM's module path (the daemon and the modules it requires,
     * since it has a module-info) followed by its class path. The daemon runs from the class path, as from the
     * CLI's shaded jar.
     */
    static String classPath() {
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        if (modulePath.isEmpty()) return classPath;
        return classPath.isEmpty() ? modulePath : modulePath + java.io.File.pathSeparator + classPath;
    }

    /**
     * Starts {@code wasm-bpf daemon --socket DIR/d.sock OPTIONS} with its output in {@code DIR/daemon.log}, without
     * waiting for it: for tests of a daemon that must refuse to start.
     */
    static Process launch(Path dir, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classPath(),
                Daemon.class.getName(),
                "--socket",
                dir.resolve("d.sock").toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile());
        // Pulled modules are cached per test, not in the user's cache.
        builder.environment().put("WASM_BPF_CACHE", dir.resolve("oci-cache").toString());
        return builder.start();
    }

    /** The port a {@code listening on tcp:}/{@code metrics on http://} line of the daemon's log names. */
    int loggedPort(String prefix) throws Exception {
        java.util.regex.Pattern line =
                java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "[^:\\s]+:(\\d+)");
        await(
                "'" + prefix + "' in the daemon's log",
                () -> line.matcher(daemonLog()).find());
        java.util.regex.Matcher m = line.matcher(daemonLog());
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    /** An answer: status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** curl {@code path} with {@code extra} options; the answer's status and body. */
    Answer curl(String path, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("curl", "-s", "-S", "-w", "\n%{http_code}", "--unix-socket", socket.toString()));
        command.addAll(List.of(extra));
        command.add("http://daemon" + path);
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor(), "curl " + command + ": " + out);
        int newline = out.lastIndexOf('\n');
        return new Answer(
                Integer.parseInt(out.substring(newline + 1).strip()),
                out.substring(0, newline).strip());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return curl(path, "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", json);
    }

    /** Creates a module; fails the test unless the daemon answers 201. */
    JsonNode create(String json) throws IOException, InterruptedException {
        Answer answer = post("/v1/modules", json);
        assertEquals(201, answer.status(), answer + "\n" + daemonLog());
        return answer.json();
    }

    /** Uploads a file through POST /v1/uploads; its source. */
    String upload(Path wasm) throws IOException, InterruptedException {
        Answer answer =
                curl("/v1/uploads", "-X", "POST", "-H", "Content-Type: application/wasm", "--data-binary", "@" + wasm);
        assertEquals(201, answer.status(), answer.toString());
        return answer.json().get("source").asString();
    }

    JsonNode inspect(String id) throws IOException, InterruptedException {
        Answer answer = curl("/v1/modules/" + id);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json();
    }

    String logs(String id) throws IOException, InterruptedException {
        return curl("/v1/modules/" + id + "/logs").body();
    }

    /** Waits until module {@code id} has exited and checks it holds no kernel object; its inspect answer. */
    JsonNode awaitExitedHoldingNothing(String id) throws Exception {
        awaitState(id, "exited");
        JsonNode inspect = inspect(id);
        JsonNode held = inspect.get("kernelObjects");
        assertEquals(
                0,
                held.get("programs").asInt()
                        + held.get("maps").asInt()
                        + held.get("links").asInt(),
                inspect.toString());
        return inspect;
    }

    void awaitState(String id, String state) throws Exception {
        await(id + " " + state, () -> {
            try {
                return inspect(id).get("state").asString().equals(state);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    void await(String what, Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "gave up waiting for " + what + "\n" + daemonLog());
            assertTrue(process.isAlive(), "daemon died waiting for " + what + "\n" + daemonLog());
            Thread.sleep(50);
        }
    }

    String daemonLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * BPF programs, maps, links, BTF objects and perf events the daemon process holds, from its fd table: the
     * kernel objects its modules hold, not the system's (other tests run kernel tests at the same time).
     */
    long kernelFds() {
        Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
        long count = 0;
        try (var entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf")
                            || target.equals("anon_inode:btf")
                            || target.equals("anon_inode:[perf_event]")) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + fds, e);
        }
        return count;
    }

    /** Waits (bounded) until the daemon holds exactly {@code expected} kernel object fds. */
    void awaitKernelFds(long expected, String why) throws Exception {
        await(why + ": daemon kernel fds " + kernelFds() + ", expected " + expected, () -> kernelFds() == expected);
    }

    /** SIGTERM; asserts exit status 0. */
    void stop() throws Exception {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "daemon did not stop: " + daemonLog());
        assertEquals(0, process.exitValue(), daemonLog());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
