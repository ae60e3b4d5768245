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

    private static String curl(Path socket, String path) throws Exception {
        Process curl = new ProcessBuilder(List.of("curl", "-s", "-w", " %{http_code}", "--unix-socket", socket.toString(),
                        "http://daemon" + path))
                .redirectErrorStream(true)
                .start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, curl.waitFor());
        int space = out.lastIndexOf(' ');
        return out.substring(space + 1) + " " + out.substring(0, space).strip();
    }
}
