package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real daemon process, asked over its socket by real curl, stopped by SIGTERM. */
class DaemonProcessTest {
    @TempDir Path dir;

    @Test
    void servesHealthOnItsSocketAndExitsZeroOnSigterm() throws Exception {
        Path socket = dir.resolve("run/d.sock");
        Process daemon = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        Daemon.class.getName(), "--socket", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket) || !Files.readString(dir.resolve("daemon.log")).contains("listening")) {
                assertTrue(daemon.isAlive(), "daemon died: " + Files.readString(dir.resolve("daemon.log")));
                assertTrue(System.nanoTime() < deadline, "no socket");
                Thread.sleep(50);
            }
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("200 {\"status\":\"ok\"}", curl(socket, "/v1/health"));
            assertTrue(curl(socket, "/v1/version").startsWith("200 {\"version\":"));
            String missing = curl(socket, "/v1/nope");
            assertTrue(missing.startsWith("404 ") && missing.contains("\"field\":\"path\""), missing);

            daemon.destroy(); // SIGTERM
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, daemon.exitValue(), Files.readString(dir.resolve("daemon.log")));
            assertFalse(Files.exists(socket), "socket left behind");
            assertTrue(Files.readString(dir.resolve("daemon.log")).contains("SIGTERM: stopping"));
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void createdBootstrapLogsAnExecTheTestMakesAndStopsOnDelete() throws Exception {
        dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel();
        Path socket = dir.resolve("d.sock");
        Path log = dir.resolve("daemon.log");
        Process daemon = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"),
                        Daemon.class.getName(), "--socket", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket) || !Files.readString(log).contains("listening")) {
                assertTrue(daemon.isAlive() && System.nanoTime() < deadline, Files.readString(log));
                Thread.sleep(50);
            }
            assertTrue(curl(socket, "/v1/modules", "-X", "POST", "-d", "{\"source\":\"bootstrap\",\"bogus\":1}")
                    .matches("400 .*\"field\":\"bogus\".*"));
            assertTrue(curl(socket, "/v1/modules", "-X", "POST", "-d", "{\"source\":\"nosuch\"}").startsWith("404 "));
            String created = curl(socket, "/v1/modules", "-X", "POST", "-d", "{\"source\":\"bootstrap\",\"name\":\"b1\"}");
            assertTrue(created.startsWith("201 "), created);
            assertTrue(curl(socket, "/v1/modules", "-X", "POST", "-d", "{\"source\":\"bootstrap\",\"name\":\"b1\"}")
                    .matches("409 .*\"field\":\"name\".*"));
            while (!curl(socket, "/v1/modules/b1").contains("\"state\":\"running\"")) {
                assertTrue(System.nanoTime() < deadline, curl(socket, "/v1/modules/b1") + Files.readString(log));
                Thread.sleep(50);
            }
            Process exec = new ProcessBuilder("/bin/true").start();
            exec.waitFor();
            String pid = " " + exec.pid() + " ";
            while (!curl(socket, "/v1/modules/b1/logs").contains(pid)) {
                assertTrue(System.nanoTime() < deadline, curl(socket, "/v1/modules/b1/logs"));
                Thread.sleep(50);
            }
            assertTrue(curl(socket, "/v1/modules").contains("\"name\":\"b1\""));
            assertTrue(curl(socket, "/v1/modules/b1", "-X", "DELETE").matches("409 .*\"field\":\"force\".*"));
            assertTrue(curl(socket, "/v1/modules/b1/stop", "-X", "POST").contains("\"state\":\"exited\""));
            assertTrue(curl(socket, "/v1/modules/b1", "-X", "DELETE").startsWith("200 "));
            assertTrue(curl(socket, "/v1/modules/b1").startsWith("404 "));
            daemon.destroy();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, daemon.exitValue(), Files.readString(log));
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static String curl(Path socket, String path, String... extra) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-w", " %{http_code}", "--unix-socket", socket.toString()));
        command.addAll(List.of(extra));
        command.add("http://daemon" + path);
        Process curl = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, curl.waitFor());
        int space = out.lastIndexOf(' ');
        return out.substring(space + 1) + " " + out.substring(0, space).strip();
    }
}
