package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --listen} serves the API on TCP only to requests carrying the token of {@code --token-file}. */
class TokenAuthTest {
    @TempDir
    Path dir;

    @Test
    void tcpNeedsTheTokenAndTheSocketDoesNot() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "s3cret-token\n");
        try (DaemonProcess daemon =
                DaemonProcess.start(dir, "--listen", "127.0.0.1:0", "--token-file", tokenFile.toString())) {
            int port = daemon.loggedPort("listening on tcp:");
            String health = "http://127.0.0.1:" + port + "/v1/health";

            DaemonProcess.Answer none = curl(health);
            assertEquals(401, none.status(), none.toString());
            assertEquals("Authorization", none.json().get("field").asString());
            assertEquals(
                    401, curl(health, "-H", "Authorization: Bearer wrong-token").status());
            assertEquals(
                    401,
                    curl(health, "-H", "Authorization: Bearer s3cret-tokenX").status());
            assertEquals(
                    401, curl(health, "-H", "Authorization: Basic s3cret-token").status());
            assertEquals(
                    401,
                    curl(
                                    "http://127.0.0.1:" + port + "/v1/modules",
                                    "-X",
                                    "POST",
                                    "--data-binary",
                                    "{\"source\":\"bootstrap\"}")
                            .status(),
                    "nothing is created without the token");
            assertEquals(
                    "200 {\"status\":\"ok\"}",
                    curl(health, "-H", "Authorization: Bearer s3cret-token").toString());
            assertEquals(
                    "200 []",
                    curl("http://127.0.0.1:" + port + "/v1/modules", "-H", "Authorization: Bearer s3cret-token")
                            .toString());

            assertEquals("200 {\"status\":\"ok\"}", daemon.curl("/v1/health").toString(), "the socket needs no token");
            daemon.stop();
        }
    }

    @Test
    void refusesToStartWithoutAUsableToken() throws Exception {
        assertRefused("--listen needs --token-file", "--listen", "127.0.0.1:0");
        assertRefused(
                "cannot be read",
                "--listen",
                "127.0.0.1:0",
                "--token-file",
                dir.resolve("missing").toString());
        Path empty = dir.resolve("empty");
        Files.writeString(empty, " \n");
        assertRefused("is empty", "--listen", "127.0.0.1:0", "--token-file", empty.toString());
    }

    private void assertRefused(String message, String... options) throws Exception {
        Process process = DaemonProcess.launch(dir, options);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "daemon did not exit");
        String log = Files.readString(dir.resolve("daemon.log"));
        assertEquals(2, process.exitValue(), log);
        assertTrue(log.contains(message), log);
        assertTrue(Files.notExists(dir.resolve("d.sock")), "socket created by a daemon that refused to start");
    }

    static DaemonProcess.Answer curl(String url, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "-w", "\n%{http_code}"));
        command.addAll(List.of(extra));
        command.add(url);
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor(), "curl " + command + ": " + out);
        int newline = out.lastIndexOf('\n');
        return new DaemonProcess.Answer(
                Integer.parseInt(out.substring(newline + 1).strip()),
                out.substring(0, newline).strip());
    }
}
