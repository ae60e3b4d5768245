package dev.wasmbpf.daemon;

import static dev.wasmbpf.daemon.ModuleApiTest.exec;
import static dev.wasmbpf.daemon.ModuleApiTest.logsContain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.KernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the daemon leaves to its host: a daemon killed with SIGKILL (no chance to release anything) leaves no
 * program, map or link behind — the kernel reclaims them with its fds, which holds because the daemon pins nothing —
 * and a daemon started again on the same socket replaces the stale socket file; the socket is mode 0660, so a user
 * outside its group cannot connect while the same user in the group can.
 */
class DaemonHostTest {
    @TempDir
    Path dir;

    @Test
    void sigkillWithModulesRunningLeavesTheKernelToReclaimEverything() throws Exception {
        KernelTestSupport.requireKernel();
        KernelObjects held;
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            for (String name : new String[] {"k1", "k2", "k3"}) {
                daemon.create("{\"source\":\"bootstrap\",\"name\":\"" + name + "\"}");
            }
            for (String name : new String[] {"k1", "k2", "k3"}) {
                daemon.awaitState(name, "running");
                String pid = exec();
                daemon.await(name + " sees " + pid, () -> logsContain(daemon, name, pid));
            }
            // Counted from the daemon's own fd table, by kernel id: exactly its objects, whatever other tests load.
            held = KernelTestSupport.objectIdsHeldBy(daemon.process.pid());
            assertTrue(held.programIds().size() >= 6, "three bootstraps hold two programs each: " + held);
            assertTrue(held.linkIds().size() >= 6, "and two links each: " + held);
            assertTrue(held.mapIds().size() >= 3, "and their maps: " + held);

            daemon.process.destroyForcibly();
            assertTrue(daemon.process.waitFor(60, TimeUnit.SECONDS), "SIGKILL did not end the daemon");
            assertEquals(128 + 9, daemon.process.exitValue());
            KernelTestSupport.assertGone(held, "the daemon after SIGKILL");
            assertTrue(Files.exists(daemon.socket), "a killed daemon cannot remove its socket file");
        }
        // The stale socket file does not keep the next daemon from serving.
        try (DaemonProcess again = DaemonProcess.start(dir)) {
            assertEquals(200, again.curl("/v1/health").status());
            again.stop();
        }
    }

    @Test
    void theSocketIsForRootAndItsGroupOnly() throws Exception {
        KernelTestSupport.requireKernel();
        // The directory must let anyone reach the socket, so that only the socket's own mode decides.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DaemonProcess daemon = DaemonProcess.start(dir, "--group", "nogroup")) {
            PosixFileAttributes socket = Files.readAttributes(daemon.socket, PosixFileAttributes.class);
            assertEquals("rw-rw----", PosixFilePermissions.toString(socket.permissions()));
            assertEquals("nogroup", socket.group().getName());
            assertEquals(200, daemon.curl("/v1/health").status(), "root connects");

            // nobody with the daemon group (gid 1) and no supplementary group: not the socket's owner or group.
            Result outsider = curlAs(daemon, "--clear-groups");
            assertEquals(7, outsider.exit(), "curl's 'could not connect' for a user outside the group: " + outsider);
            // The same user with nogroup (65534) as a supplementary group connects.
            Result member = curlAs(daemon, "--groups=65534");
            assertEquals(0, member.exit(), member.toString());
            assertEquals("200", member.out(), member.toString());
            daemon.stop();
        }
    }

    private record Result(int exit, String out) {}

    /** {@code curl /v1/health} as uid 65534 (nobody), gid 1, with {@code groups} (a setpriv option). */
    private static Result curlAs(DaemonProcess daemon, String groups) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=1",
                groups,
                "--",
                "curl",
                "-q",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--unix-socket",
                daemon.socket.toString(),
                "http://daemon/v1/health"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
        return new Result(process.exitValue(), out);
    }
}
