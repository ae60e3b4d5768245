package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Restart policies against a real daemon and the kernel, with runtime's {@code exit_status} guest (attaches, says
 * READY, exits with its argument). Instead of waiting for a time, the test compares modules started together: by
 * the time an {@code on-failure} module failing at once was restarted twice (1 s, then 2 s of backoff), a module that
 * should have been restarted once was, and one that should not have been would have been.
 */
class RestartPolicyTest {
    @TempDir
    Path dir;

    @Test
    void backoffDoublesFromOneSecondToThirtyAndIsCapped() {
        Duration first = Restarter.FIRST_DELAY;
        Duration max = Restarter.MAX_DELAY;
        assertEquals(Duration.ofSeconds(1), Restarter.backoff(0, first, max));
        assertEquals(Duration.ofSeconds(2), Restarter.backoff(1, first, max));
        assertEquals(Duration.ofSeconds(16), Restarter.backoff(4, first, max));
        assertEquals(Duration.ofSeconds(30), Restarter.backoff(5, first, max));
        assertEquals(Duration.ofSeconds(30), Restarter.backoff(63, first, max));
        assertEquals(Duration.ofSeconds(30), Restarter.backoff(1000, first, max));
    }

    @Test
    void aLongRunStartsTheBackoffOver() {
        RestartState state = new RestartState();
        Duration quick = Duration.ofMillis(10);
        Duration reset = Restarter.RESET_AFTER;
        assertEquals(Duration.ofSeconds(1), state.schedule(quick, reset, Restarter.FIRST_DELAY, Restarter.MAX_DELAY));
        state.restarted();
        assertEquals(Duration.ofSeconds(2), state.schedule(quick, reset, Restarter.FIRST_DELAY, Restarter.MAX_DELAY));
        state.restarted();
        assertEquals(Duration.ofSeconds(4), state.schedule(quick, reset, Restarter.FIRST_DELAY, Restarter.MAX_DELAY));
        state.restarted();
        assertEquals(Duration.ofSeconds(1), state.schedule(reset, reset, Restarter.FIRST_DELAY, Restarter.MAX_DELAY));
        assertEquals(3, state.count());
        assertTrue(state.pending());
        assertTrue(state.cancel(), "a pending restart is cancelled");
        assertFalse(state.pending());
        assertEquals(
                null,
                state.schedule(quick, reset, Restarter.FIRST_DELAY, Restarter.MAX_DELAY),
                "no restart after cancel");
    }

    @Test
    void policiesRestartCountAndStopCancels() throws Exception {
        KernelTestSupport.requireKernel();
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            long baseline = daemon.kernelFds();
            String source = daemon.upload(DaemonProcess.testGuest("exit_status"));
            daemon.create(spec(source, "failing", "1", "on-failure"));
            daemon.create(spec(source, "once", "1", "no"));
            daemon.create(spec(source, "succeeding", "0", "on-failure"));
            daemon.create(spec(source, "looping", "0", "always"));
            daemon.create(spec(source, "stopped", "1", "on-failure"));

            // Stopped while waiting for its first restart: the restart is cancelled.
            daemon.awaitState("stopped", "restarting");
            JsonNode restarting = daemon.inspect("stopped");
            assertEquals(1, restarting.get("lastExit").get("exitCode").asInt(), restarting.toString());
            assertEquals(0, restarting.get("kernelObjects").get("links").asInt(), "the ended run released its links");
            JsonNode listed = daemon.curl("/v1/modules").json();
            assertTrue(listed.toString().contains("\"stopped\""), "ps lists a restarting module: " + listed);
            DaemonProcess.Answer stop = daemon.post("/v1/modules/stopped/stop", "");
            assertEquals(200, stop.status(), stop.toString());
            assertEquals("exited", stop.json().get("state").asString(), stop.toString());
            int stoppedAt = stop.json().get("restartCount").asInt();

            daemon.await("failing restarted twice", () -> restartCount(daemon, "failing") >= 2);

            JsonNode failing = daemon.inspect("failing");
            assertEquals(1, failing.get("lastExit").get("exitCode").asInt(), failing.toString());
            assertEquals("exited", failing.get("lastExit").get("kind").asString(), failing.toString());
            assertTrue(
                    readyCount(daemon.logs("failing")) >= 3,
                    "one output log across the runs: " + daemon.logs("failing"));

            JsonNode once = daemon.inspect("once");
            assertEquals("exited", once.get("state").asString(), once.toString());
            assertEquals(0, once.get("restartCount").asInt(), once.toString());
            assertEquals(1, readyCount(daemon.logs("once")));

            JsonNode succeeding = daemon.inspect("succeeding");
            assertEquals("exited", succeeding.get("state").asString(), succeeding.toString());
            assertEquals(0, succeeding.get("restartCount").asInt(), "on-failure leaves exit 0 alone: " + succeeding);

            JsonNode looping = daemon.inspect("looping");
            assertTrue(looping.get("restartCount").asInt() >= 1, "always restarts after exit 0: " + looping);
            assertEquals(0, looping.get("lastExit").get("exitCode").asInt(), looping.toString());

            JsonNode stopped = daemon.inspect("stopped");
            assertEquals("exited", stopped.get("state").asString(), stopped.toString());
            assertEquals(stoppedAt, stopped.get("restartCount").asInt(), "no restart after stop: " + stopped);

            // rm -f of a module that keeps restarting: nothing restarts it, and every run's objects are gone.
            for (String name : new String[] {"failing", "looping"}) {
                DaemonProcess.Answer removed = daemon.curl("/v1/modules/" + name + "?force=true", "-X", "DELETE");
                assertEquals(200, removed.status(), removed.toString());
                assertEquals(404, daemon.curl("/v1/modules/" + name).status());
            }
            daemon.awaitKernelFds(baseline, "every run of every module released");
            assertEquals(409, daemon.post("/v1/modules/stopped/stop", "").status(), "a stopped module is not running");
            daemon.stop();
        }
    }

    private static String spec(String source, String name, String status, String policy) {
        return "{\"source\":\"" + source + "\",\"name\":\"" + name + "\",\"args\":[\"" + status
                + "\"],\"restartPolicy\":\"" + policy + "\"}";
    }

    private static int restartCount(DaemonProcess daemon, String name) {
        try {
            return daemon.inspect(name).get("restartCount").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int readyCount(String logs) {
        Matcher m = Pattern.compile("(?m)^READY$").matcher(logs);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }
}
