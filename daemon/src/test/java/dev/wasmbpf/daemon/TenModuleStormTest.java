package dev.wasmbpf.daemon;

import static dev.wasmbpf.daemon.ModuleApiTest.exec;
import static dev.wasmbpf.daemon.ModuleApiTest.logsContain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Ten bootstraps at once in one daemon under an exec storm; one module ends by each way — return, proc_exit, trap,
 * time-out, memory limit, stop, removal. After each the daemon's fd table holds exactly the bootstraps still
 * running (the ended one released everything) and every one of them still reports the exec the test makes (by pid).
 */
class TenModuleStormTest {
    @TempDir
    Path dir;

    @Test
    void tenModulesKeepDeliveringWhileOneEndsByEachWay() throws Exception {
        KernelTestSupport.requireKernel();
        try (ExecStorm _ = ExecStorm.start(Duration.ofMillis(5));
                DaemonProcess daemon = DaemonProcess.start(dir)) {
            long baseline = daemon.kernelFds();
            List<String> running = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                daemon.create("{\"source\":\"bootstrap\",\"name\":\"b" + i + "\"}");
                running.add("b" + i);
            }
            for (String name : running) {
                // Running: reached its event loop, so the exec below comes after its attach.
                daemon.awaitState(name, "running");
            }
            assertAllDeliver(daemon, running, "ten started");
            long tenFds = daemon.kernelFds();
            // Each bootstrap holds the same objects (its own BTF, maps, programs, links): a tenth each.
            assertEquals(0, (tenFds - baseline) % 10, "fds " + tenFds + " over baseline " + baseline);
            long perModule = (tenFds - baseline) / 10;
            assertTrue(perModule > 0);

            // Return from main (exit_status 0 returns; wasi-libc's _start calls no proc_exit for 0).
            String exitStatus = daemon.upload(DaemonProcess.testGuest("exit_status"));
            endsAndReleases(
                    daemon,
                    "{\"source\":\"" + exitStatus + "\",\"name\":\"returner\",\"args\":[\"0\"]}",
                    "returner",
                    "exited",
                    0,
                    tenFds,
                    running);
            endsAndReleases(
                    daemon,
                    "{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("exit3")) + "\",\"name\":\"exiter\"}",
                    "exiter",
                    "exited",
                    3,
                    tenFds,
                    running);
            endsAndReleases(
                    daemon,
                    "{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("trap")) + "\",\"name\":\"trapper\"}",
                    "trapper",
                    "trapped",
                    1,
                    tenFds,
                    running);
            endsAndReleases(
                    daemon,
                    "{\"source\":\"" + daemon.upload(DaemonProcess.testGuest("sleeper"))
                            + "\",\"name\":\"sleepy\",\"timeout\":\"1s\"}",
                    "sleepy",
                    "timed-out",
                    124,
                    tenFds,
                    running);
            endsAndReleases(
                    daemon,
                    "{\"source\":\"bootstrap\",\"name\":\"starved\",\"maxMemory\":196608}",
                    "starved",
                    "memory-limit-or-error",
                    -1,
                    tenFds,
                    running);

            // Stop one of the ten.
            JsonNode stopped = daemon.post("/v1/modules/b8/stop", "").json();
            assertEquals("exited", stopped.get("state").asString(), stopped.toString());
            running.remove("b8");
            daemon.awaitKernelFds(tenFds - perModule, "b8 stopped released its objects");
            assertAllDeliver(daemon, running, "b8 stopped");

            // Remove one of the ten while it runs.
            assertEquals(
                    200,
                    daemon.curl("/v1/modules/b9?force=true", "-X", "DELETE").status());
            running.remove("b9");
            daemon.awaitKernelFds(tenFds - 2 * perModule, "b9 removed released its objects");
            assertAllDeliver(daemon, running, "b9 removed");
            for (String name : running) {
                assertEquals("running", daemon.inspect(name).get("state").asString(), name);
            }

            List<String> all = new ArrayList<>();
            daemon.curl("/v1/modules?all=true")
                    .json()
                    .forEach(module -> all.add(module.get("name").asString()));
            assertEquals(14, all.size(), all.toString());
            for (String name : all) {
                assertEquals(
                        200,
                        daemon.curl("/v1/modules/" + name + "?force=true", "-X", "DELETE")
                                .status(),
                        name);
            }
            daemon.awaitKernelFds(baseline, "every module removed");
        }
    }

    /** Creates a module that ends by itself, checks how, and that the ten's objects and deliveries are intact. */
    private static void endsAndReleases(
            DaemonProcess daemon,
            String spec,
            String name,
            String kind,
            int exitCode,
            long expectedFds,
            List<String> running)
            throws Exception {
        daemon.create(spec);
        JsonNode inspect = daemon.awaitExitedHoldingNothing(name);
        if (exitCode >= 0) {
            assertEquals(kind, inspect.get("result").get("kind").asString(), inspect.toString());
            assertEquals(exitCode, inspect.get("exitCode").asInt(), inspect.toString());
        } else {
            // Bootstrap at 3 pages attaches, then memory.grow is refused and it gives up with an error status.
            assertTrue(inspect.get("exitCode").asInt() != 0, inspect.toString());
            assertTrue(daemon.logs(name).contains("memory limit 196608 bytes reached"), daemon.logs(name));
        }
        daemon.awaitKernelFds(expectedFds, name + " released its objects");
        assertAllDeliver(daemon, running, name + " ended");
    }

    /**
     * Every module in {@code running} reports an exec made now. All are polled in one loop, each until it has been seen
     * once: a module's bounded log rolls the line out again under the storm, so a late first look could miss it.
     */
    private static void assertAllDeliver(DaemonProcess daemon, List<String> running, String after) throws Exception {
        String pid = exec();
        java.util.Set<String> waiting = new java.util.LinkedHashSet<>(running);
        daemon.await(waiting + " see " + pid + " after " + after, () -> {
            waiting.removeIf(name -> logsContain(daemon, name, pid));
            return waiting.isEmpty();
        });
    }
}
