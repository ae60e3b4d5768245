package dev.wasmbpf.daemon;

import static dev.wasmbpf.daemon.ModuleApiTest.exec;
import static dev.wasmbpf.daemon.ModuleApiTest.logsContain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One module ending in each way — trap, proc_exit, time-out, memory limit, forced stop of a guest looping without
 * calls, forced removal — under an exec storm releases what it held and leaves three other modules running: their kernel objects
 * stay (the daemon's fd count with them alone comes back after each) and the execs the test makes keep reaching
 * their output.
 */
class IsolationTest {
    /** Modules that must keep running and delivering while the others end. */
    private static final List<String> KEEPERS = List.of("keeper1", "keeper2", "keeper3");

    @TempDir
    Path dir;

    @Test
    void everyWayOneModuleEndsLeavesTheOtherDelivering() throws Exception {
        KernelTestSupport.requireKernel();
        // An exec storm under everything below: the keepers deliver while modules start and end around them.
        try (ExecStorm _ = ExecStorm.start(Duration.ofMillis(10));
                DaemonProcess daemon = DaemonProcess.start(dir)) {
            long baseline = daemon.kernelFds();
            for (String keeper : KEEPERS) {
                daemon.create("{\"source\":\"bootstrap\",\"name\":\"" + keeper + "\"}");
            }
            Map<String, JsonNode> keeperObjects = new LinkedHashMap<>();
            for (String keeper : KEEPERS) {
                daemon.awaitState(keeper, "running");
                String before = exec();
                daemon.await(keeper + " sees " + before, () -> logsContain(daemon, keeper, before));
                keeperObjects.put(keeper, daemon.inspect(keeper).get("kernelObjects"));
            }
            long keeperFds = daemon.kernelFds();

            // Trap after attaching.
            daemon.create(
                    "{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("trap")) + "\",\"name\":\"trapper\"}");
            JsonNode trapped = daemon.awaitExitedHoldingNothing("trapper");
            assertEquals("trapped", trapped.get("result").get("kind").asString(), trapped.toString());
            assertFalse(trapped.get("result").get("message").asString().isBlank(), trapped.toString());
            assertEquals(1, trapped.get("exitCode").asInt());
            assertKeeperUnharmed(daemon, keeperFds, keeperObjects, "a trap");

            // proc_exit(3) after attaching.
            daemon.create(
                    "{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("exit3")) + "\",\"name\":\"exiter\"}");
            JsonNode exited = daemon.awaitExitedHoldingNothing("exiter");
            assertEquals("exited", exited.get("result").get("kind").asString(), exited.toString());
            assertEquals(3, exited.get("exitCode").asInt());
            assertKeeperUnharmed(daemon, keeperFds, keeperObjects, "proc_exit");

            // Time-out while blocked in a buffer poll.
            daemon.create("{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("sleeper"))
                    + "\",\"name\":\"sleepy\",\"timeout\":\"1s\"}");
            JsonNode timedOut = daemon.awaitExitedHoldingNothing("sleepy");
            assertEquals("timed-out", timedOut.get("result").get("kind").asString(), timedOut.toString());
            assertEquals(124, timedOut.get("exitCode").asInt());
            assertKeeperUnharmed(daemon, keeperFds, keeperObjects, "a time-out");

            // Memory limit: bootstrap with 3 pages loads and attaches, then its ring buffer's malloc finds
            // memory.grow refused and it gives up with an error status.
            daemon.create("{\"source\":\"bootstrap\",\"name\":\"starved\",\"maxMemory\":196608}");
            JsonNode starved = daemon.awaitExitedHoldingNothing("starved");
            assertTrue(starved.get("exitCode").asInt() != 0, starved.toString());
            assertTrue(daemon.logs("starved").contains("memory limit 196608 bytes reached"), daemon.logs("starved"));
            assertKeeperUnharmed(daemon, keeperFds, keeperObjects, "a memory limit");

            // Stop with no grace of a guest looping without host calls.
            daemon.create(
                    "{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("spin")) + "\",\"name\":\"spinner\"}");
            daemon.await("spinner ready", () -> logsContain(daemon, "spinner", "READY"));
            JsonNode stopped =
                    daemon.post("/v1/modules/spinner/stop?time=0", "").json();
            assertEquals("exited", stopped.get("state").asString(), stopped.toString());
            assertKeeperUnharmed(daemon, keeperFds, keeperObjects, "a forced stop");

            // Forced removal of a running bootstrap.
            daemon.create("{\"source\":\"bootstrap\",\"name\":\"removed\"}");
            daemon.awaitState("removed", "running");
            assertEquals(
                    200,
                    daemon.curl("/v1/modules/removed?force=true", "-X", "DELETE")
                            .status());
            assertEquals(404, daemon.curl("/v1/modules/removed").status());
            assertKeeperUnharmed(daemon, keeperFds, keeperObjects, "a forced removal");

            for (String name : new String[] {"trapper", "exiter", "sleepy", "starved", "spinner"}) {
                assertEquals(
                        200, daemon.curl("/v1/modules/" + name, "-X", "DELETE").status(), name);
            }
            daemon.awaitKernelFds(keeperFds, "after removing the ended modules");
            // SIGTERM with the keepers running: each is stopped and releases everything before the daemon exits 0.
            daemon.stop();
            for (String keeper : KEEPERS) {
                assertTrue(
                        daemon.daemonLog()
                                .matches("(?s).*module \\w+ \\(" + keeper + "\\) ended: .*everything released.*"),
                        daemon.daemonLog());
            }
            assertTrue(keeperFds > baseline);
        }
    }

    private static void assertKeeperUnharmed(
            DaemonProcess daemon, long keeperFds, Map<String, JsonNode> keeperObjects, String after) throws Exception {
        daemon.awaitKernelFds(keeperFds, "only the keepers' kernel objects after " + after);
        String pid = exec();
        for (String keeper : KEEPERS) {
            assertEquals(
                    keeperObjects.get(keeper),
                    daemon.inspect(keeper).get("kernelObjects"),
                    keeper + "'s objects after " + after);
            assertEquals("running", daemon.inspect(keeper).get("state").asString());
            daemon.await(keeper + " sees " + pid + " after " + after, () -> logsContain(daemon, keeper, pid));
        }
    }
}
