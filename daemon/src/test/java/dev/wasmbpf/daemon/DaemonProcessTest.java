package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real daemon process, asked over its socket by real curl, stopped by SIGTERM. */
class DaemonProcessTest {
    @TempDir
    Path dir;

    @Test
    void servesHealthOnItsSocketAndExitsZeroOnSigterm() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket)));
            assertEquals("200 {\"status\":\"ok\"}", daemon.curl("/v1/health").toString());
            assertTrue(daemon.curl("/v1/version").toString().startsWith("200 {\"version\":"));
            DaemonProcess.Answer missing = daemon.curl("/v1/nope");
            assertEquals(404, missing.status());
            assertEquals("path", missing.json().get("field").asString());

            daemon.stop(); // SIGTERM, exit 0
            assertFalse(Files.exists(daemon.socket), "socket left behind");
            assertTrue(daemon.daemonLog().contains("SIGTERM: stopping"));
        }
    }

    @Test
    void createdBootstrapLogsAnExecTheTestMakesAndStopsOnDelete() throws Exception {
        dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel();
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            assertTrue(daemon.post("/v1/modules", "{\"source\":\"bootstrap\",\"bogus\":1}")
                    .toString()
                    .matches("400 .*\"field\":\"bogus\".*"));
            assertEquals(
                    404, daemon.post("/v1/modules", "{\"source\":\"nosuch\"}").status());
            daemon.create("{\"source\":\"bootstrap\",\"name\":\"b1\"}");
            assertTrue(daemon.post("/v1/modules", "{\"source\":\"bootstrap\",\"name\":\"b1\"}")
                    .toString()
                    .matches("409 .*\"field\":\"name\".*"));
            daemon.awaitState("b1", "running");
            String pid = ModuleApiTest.exec();
            daemon.await("exec " + pid + " in the logs", () -> ModuleApiTest.logsContain(daemon, "b1", pid));
            assertTrue(daemon.curl("/v1/modules").body().contains("\"name\":\"b1\""));
            assertTrue(daemon.curl("/v1/modules/b1", "-X", "DELETE").toString().matches("409 .*\"field\":\"force\".*"));
            assertEquals(
                    "exited",
                    daemon.post("/v1/modules/b1/stop", "").json().get("state").asString());
            assertEquals(200, daemon.curl("/v1/modules/b1", "-X", "DELETE").status());
            assertEquals(404, daemon.curl("/v1/modules/b1").status());
            daemon.stop();
        }
    }
}
