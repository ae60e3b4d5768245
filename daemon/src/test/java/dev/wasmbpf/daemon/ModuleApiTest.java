package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.oci.ModulePusher;
import dev.wasmbpf.oci.ModuleReference;
import dev.wasmbpf.oci.PushedModule;
import dev.wasmbpf.oci.RegistryAccess;
import dev.wasmbpf.oci.testing.BundledExamples;
import dev.wasmbpf.oci.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The module API end to end against a real daemon process and the kernel: every kind of source, inspect, logs (also
 * followed), pause, resume, stop, remove — and the daemon's own fd table back to where it started.
 */
class ModuleApiTest {
    @TempDir
    Path dir;

    /** Runs /bin/true and returns its pid as bootstrap prints it (between spaces). */
    static String exec() throws Exception {
        Process exec = new ProcessBuilder("/bin/true").start();
        assertEquals(0, exec.waitFor());
        return " " + exec.pid() + " ";
    }

    @Test
    void bootstrapIsInspectedFollowedPausedResumedStoppedAndRemoved() throws Exception {
        KernelTestSupport.requireKernel();
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            long baseline = daemon.kernelFds();
            JsonNode created = daemon.create("""
                    {"source":"bootstrap","name":"b1","env":{"MARK":"yes"},"timeout":"1h","maxMemory":67108864,
                     "allowAttach":["/sys/fs/cgroup"],"restartPolicy":"on-failure"}""");
            String id = created.get("id").asString();
            assertEquals("b1", created.get("name").asString());
            assertEquals("on-failure", created.get("restartPolicy").asString());
            daemon.awaitState("b1", "running");

            String first = exec();
            daemon.await("exec " + first + " in the logs", () -> logsContain(daemon, id, first));

            JsonNode inspect = daemon.inspect("b1");
            assertEquals(id, inspect.get("id").asString());
            assertEquals("example", inspect.get("module").get("kind").asString());
            assertTrue(inspect.get("module").get("digest").asString().startsWith("sha256:"), inspect.toString());
            assertEquals("yes", inspect.get("config").get("env").get("MARK").asString());
            assertEquals(2, inspect.get("kernelObjects").get("programs").asInt(), inspect.toString());
            assertEquals(2, inspect.get("kernelObjects").get("links").asInt(), inspect.toString());
            assertTrue(inspect.get("kernelObjects").get("maps").asInt() >= 1, inspect.toString());
            assertTrue(inspect.get("samplesDelivered").asLong() >= 1, inspect.toString());
            assertTrue(inspect.get("cpuSeconds").asDouble() > 0, inspect.toString());
            assertTrue(inspect.get("memoryBytes").asLong() >= 65536, inspect.toString());
            assertTrue(inspect.get("result").isNull(), inspect.toString());
            assertTrue(daemon.kernelFds() > baseline, "the running module holds kernel objects in the daemon");

            // Where the start went: every step reached, in the order bootstrap passes them.
            JsonNode startup = inspect.get("startup");
            assertTrue(startup.get("originMonotonicNs").asLong() > 0, startup.toString());
            double previous = 0;
            for (String step : new String[] {
                "resolvedMs", "compiledMs", "startedMs", "objectLoadedMs", "attachedMs", "firstOutputMs", "readyMs"
            }) {
                assertTrue(startup.get(step).isNumber(), step + " in " + startup);
                assertTrue(startup.get(step).asDouble() >= previous, step + " out of order in " + startup);
                previous = startup.get(step).asDouble();
            }
            // Answered after the start, while the guest ran on its own thread; libbpf's part is within the guest's.
            assertTrue(
                    startup.get("answeredMs").asDouble()
                            >= startup.get("startedMs").asDouble(),
                    startup.toString());
            double libbpf = startup.get("libbpfOpenLoadMs").asDouble();
            assertTrue(
                    libbpf > 0
                            && libbpf
                                    <= startup.get("objectLoadedMs").asDouble()
                                            - startup.get("startedMs").asDouble(),
                    startup.toString());

            // Followed logs: a stream that shows a later exec, and ends when the module stops.
            Path followed = dir.resolve("follow.txt");
            Process follow = new ProcessBuilder(
                            "curl",
                            "-s",
                            "-N",
                            "--unix-socket",
                            daemon.socket.toString(),
                            "http://daemon/v1/modules/b1/logs?follow=true")
                    .redirectOutput(followed.toFile())
                    .start();
            String second = exec();
            daemon.await(
                    "exec " + second + " in the followed logs",
                    () -> read(followed).contains(second));
            assertTrue(read(followed).contains(first), "follow starts with the output kept");

            // Paused: the guest stops polling; an exec meanwhile waits in the ring buffer and comes after resume.
            assertEquals(
                    "paused",
                    daemon.post("/v1/modules/b1/pause", "").json().get("state").asString());
            assertEquals(409, daemon.post("/v1/modules/b1/pause", "").status());
            String whilePaused = exec();
            assertEquals(200, daemon.post("/v1/modules/b1/resume", "").status());
            assertEquals(409, daemon.post("/v1/modules/b1/resume", "").status());
            daemon.await("exec " + whilePaused + " after resume", () -> logsContain(daemon, id, whilePaused));

            // Removing a running module needs force; stop ends it, its stream and its kernel objects.
            DaemonProcess.Answer refused = daemon.curl("/v1/modules/b1", "-X", "DELETE");
            assertEquals(409, refused.status(), refused.toString());
            assertEquals("force", refused.json().get("field").asString());
            JsonNode stopped = daemon.post("/v1/modules/b1/stop?time=2", "").json();
            assertEquals("exited", stopped.get("state").asString(), stopped.toString());
            assertTrue(follow.waitFor(30, TimeUnit.SECONDS), "the followed stream ends when the module ends");
            assertEquals(0, follow.exitValue());
            JsonNode ended = daemon.inspect(id);
            assertEquals("terminated", ended.get("result").get("kind").asString(), ended.toString());
            assertEquals(0, ended.get("kernelObjects").get("links").asInt());
            daemon.awaitKernelFds(baseline, "after stop");
            assertEquals(409, daemon.post("/v1/modules/b1/stop", "").status(), "stop of a stopped module");

            assertTrue(daemon.curl("/v1/modules").body().equals("[]"), "exited modules are listed only with all=true");
            assertTrue(daemon.curl("/v1/modules?all=true").body().contains("\"name\":\"b1\""));
            assertEquals(200, daemon.curl("/v1/modules/b1", "-X", "DELETE").status());
            assertEquals(404, daemon.curl("/v1/modules/" + id).status());
            daemon.stop();
        }
    }

    @Test
    void modulesComeFromFilesUnderTheModulePathFromUploadsAndFromARegistry() throws Exception {
        KernelTestSupport.requireKernel();
        Path root = Files.createDirectories(dir.resolve("modules"));
        Path wasm = BundledExamples.file("bootstrap", root);
        Path outside = BundledExamples.file("bootstrap", Files.createDirectories(dir.resolve("elsewhere")));
        Files.createSymbolicLink(root.resolve("escape.wasm"), outside);
        try (LocalRegistry registry = LocalRegistry.start();
                DaemonProcess daemon = DaemonProcess.start(
                        dir, "--module-path", root.toString(), "--insecure-registry", registry.host())) {
            long baseline = daemon.kernelFds();
            PushedModule pushed = new ModulePusher(new RegistryAccess(true, Optional.empty()))
                    .push(ModuleReference.parse(registry.host() + "/examples/bootstrap:v1"), wasm, Map.of());

            String fromFile = daemon.create("{\"source\":\"" + wasm + "\",\"name\":\"from-file\"}")
                    .get("id")
                    .asString();
            String fromUpload = daemon.create(
                            "{\"source\":\"" + daemon.upload(outside) + "\",\"name\":\"from-upload\"}")
                    .get("id")
                    .asString();
            String fromTag = daemon.create(
                            "{\"source\":\"" + registry.host() + "/examples/bootstrap:v1\",\"name\":\"from-tag\"}")
                    .get("id")
                    .asString();
            String fromDigest = daemon.create("{\"source\":\"" + pushed.pinned() + "\",\"name\":\"from-digest\"}")
                    .get("id")
                    .asString();
            for (String id : new String[] {fromFile, fromUpload, fromTag, fromDigest}) {
                daemon.awaitState(id, "running");
            }
            assertEquals(
                    "file", daemon.inspect(fromFile).get("module").get("kind").asString());
            assertEquals(
                    "upload",
                    daemon.inspect(fromUpload).get("module").get("kind").asString());
            JsonNode pulled = daemon.inspect(fromTag).get("module");
            assertEquals("oci", pulled.get("kind").asString());
            assertEquals(pushed.layerDigest(), pulled.get("digest").asString());
            assertTrue(pulled.get("resolved").asString().endsWith("@" + pushed.manifestDigest()), pulled.toString());

            String pid = exec();
            for (String id : new String[] {fromFile, fromUpload, fromTag, fromDigest}) {
                daemon.await(id + " sees " + pid, () -> logsContain(daemon, id, pid));
            }

            // Refused sources: outside the roots (also through a symbolic link or ..), a digest that does not match.
            assertRefused(daemon, 403, "{\"source\":\"" + outside + "\"}");
            assertRefused(daemon, 403, "{\"source\":\"" + root.resolve("escape.wasm") + "\"}");
            assertRefused(daemon, 403, "{\"source\":\"" + root + "/../elsewhere/bootstrap.wasm\"}");
            assertRefused(daemon, 404, "{\"source\":\"" + root.resolve("missing.wasm") + "\"}");
            assertRefused(
                    daemon,
                    502,
                    "{\"source\":\"" + registry.host() + "/examples/bootstrap@sha256:" + "0".repeat(64) + "\"}");
            assertRefused(daemon, 502, "{\"source\":\"" + registry.host() + "/examples/nosuch:v1\"}");

            for (String id : new String[] {fromFile, fromUpload, fromTag, fromDigest}) {
                assertEquals(
                        200,
                        daemon.curl("/v1/modules/" + id + "?force=true", "-X", "DELETE")
                                .status());
            }
            daemon.awaitKernelFds(baseline, "after removing every module");
            daemon.stop();
        }
    }

    private static void assertRefused(DaemonProcess daemon, int status, String body) throws Exception {
        DaemonProcess.Answer answer = daemon.post("/v1/modules", body);
        assertEquals(status, answer.status(), body + " → " + answer);
        assertEquals("source", answer.json().get("field").asString(), answer.toString());
    }

    /** Create and follow in one request: the answer streams the module's output; the module outlives the stream. */
    @Test
    void aCreateWithFollowStreamsTheOutputAndTheModuleOutlivesTheStream() throws Exception {
        KernelTestSupport.requireKernel();
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            long baseline = daemon.kernelFds();
            // A bad flag value is refused before anything starts.
            DaemonProcess.Answer bad =
                    daemon.post("/v1/modules?follow=maybe", "{\"source\":\"bootstrap\",\"name\":\"cf\"}");
            assertEquals(400, bad.status(), bad.toString());
            assertEquals("follow", bad.json().get("field").asString());
            assertEquals(404, daemon.curl("/v1/modules/cf").status(), "nothing created");

            Path streamed = dir.resolve("create-follow.txt");
            Path headers = dir.resolve("create-follow.headers");
            Process follow = new ProcessBuilder(
                            "curl",
                            "-s",
                            "-N",
                            "-D",
                            headers.toString(),
                            "--unix-socket",
                            daemon.socket.toString(),
                            "-X",
                            "POST",
                            "-H",
                            "Content-Type: application/json",
                            "--data-binary",
                            "{\"source\":\"bootstrap\",\"name\":\"cf\"}",
                            "http://daemon/v1/modules?follow=true")
                    .redirectOutput(streamed.toFile())
                    .start();
            try {
                daemon.await(
                        "bootstrap's header in the create's answer",
                        () -> read(streamed).startsWith("TIME "));
                String pid = exec();
                daemon.await(
                        "exec " + pid + " in the create's answer",
                        () -> read(streamed).contains(pid));
                String head = read(headers);
                assertTrue(head.startsWith("HTTP/1.1 201"), head);
                String id = daemon.inspect("cf").get("id").asString();
                assertTrue(head.contains("Location: /v1/modules/" + id), head);
            } finally {
                follow.destroy();
                follow.waitFor();
            }
            // The client went away: the module runs on and delivers.
            String later = exec();
            daemon.await("exec " + later + " after the stream ended", () -> logsContain(daemon, "cf", later));
            assertEquals("running", daemon.inspect("cf").get("state").asString());
            assertEquals(
                    200,
                    daemon.curl("/v1/modules/cf?force=true", "-X", "DELETE").status());
            daemon.awaitKernelFds(baseline, "after removing the module");
        }
    }

    static boolean logsContain(DaemonProcess daemon, String id, String text) {
        try {
            return daemon.logs(id).contains(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
