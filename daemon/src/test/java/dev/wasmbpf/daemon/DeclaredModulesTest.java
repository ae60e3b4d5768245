package dev.wasmbpf.daemon;

import static dev.wasmbpf.daemon.ModuleApiTest.exec;
import static dev.wasmbpf.daemon.ModuleApiTest.logsContain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code --modules-dir} against a real daemon process and the kernel: declarations present at boot start, and a file
 * added, changed, removed or broken (YAML and JSON) — also through a ConfigMap-style {@code ..data} symbolic-link
 * swap — is each observed through the API. Plus the parser's answers on its own.
 */
class DeclaredModulesTest {
    @TempDir
    Path dir;

    @Test
    void yamlAndJsonDeclareTheSameSpec() {
        ModuleSpec yaml = DeclaredModuleFile.parse("b.yaml", bytes("""
                name: b1
                source: bootstrap
                args: ["-v", "5"]
                env:
                  MARK: "yes"
                timeout: 1h
                maxMemory: 67108864
                allowAttach: [/sys/fs/cgroup]
                restartPolicy: on-failure
                """));
        ModuleSpec json = DeclaredModuleFile.parse("b.json", bytes("""
                {"name":"b1","source":"bootstrap","args":["-v","5"],"env":{"MARK":"yes"},"timeout":"1h",
                 "maxMemory":67108864,"allowAttach":["/sys/fs/cgroup"],"restartPolicy":"on-failure"}"""));
        assertEquals(json, yaml);
        assertEquals(
                "no",
                DeclaredModuleFile.parse("n.yaml", bytes("source: bootstrap\nrestartPolicy: no\n"))
                        .restartPolicy(),
                "YAML 1.2: no is the string, not false");
        assertEquals(
                "plain",
                DeclaredModuleFile.parse("plain.yml", bytes("source: bootstrap\n"))
                        .name(),
                "named after the file");
    }

    @Test
    void badDeclarationsNameTheField() {
        assertRefused("sauce", "b.yaml", "source: bootstrap\nsauce: 1\n");
        assertRefused("args[0]", "b.yaml", "source: bootstrap\nargs: [5]\n");
        assertRefused("restartPolicy", "b.yaml", "source: bootstrap\nrestartPolicy: sometimes\n");
        assertRefused("timeout", "b.json", "{\"source\":\"bootstrap\",\"timeout\":\"soon\"}");
        assertRefused("file", "b.json", "{\"source\":");
        assertRefused("file", "b.yaml", "source: \"bootstrap\nname: x\n");
        assertRefused("source", "b.yaml", "source: [bootstrap]\n");
        assertRefused("file", "b.yaml", "source: a\nsource: b\n");
        assertRefused("file", "b.yaml", "");
        assertRefused("source", "b.yaml", "name: x\n");
        assertRefused("name", "bad name.yaml", "source: bootstrap\n");
        assertRefused("file", "big.yaml", "source: bootstrap\n" + "#".repeat(DeclaredModuleFile.MAX_BYTES));
        assertTrue(DeclaredModuleFile.isDeclaration("a.yaml")
                && DeclaredModuleFile.isDeclaration("a.YML")
                && DeclaredModuleFile.isDeclaration("a.json"));
        assertFalse(DeclaredModuleFile.isDeclaration("..data")
                || DeclaredModuleFile.isDeclaration(".a.yaml")
                || DeclaredModuleFile.isDeclaration("a.yaml.swp")
                || DeclaredModuleFile.isDeclaration("README"));
    }

    private static void assertRefused(String field, String file, String content) {
        ApiException e =
                assertThrows(ApiException.class, () -> DeclaredModuleFile.parse(file, bytes(content)), content);
        assertEquals(field, e.field(), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void filesAddedChangedRemovedAndBrokenAreReconciled() throws Exception {
        KernelTestSupport.requireKernel();
        Path modules = Files.createDirectories(dir.resolve("modules.d"));
        write(modules.resolve("first.yaml"), "name: b-yaml\nsource: bootstrap\nenv: {MARK: v1}\n");
        write(modules.resolve("second.json"), "{\"source\":\"bootstrap\",\"env\":{\"MARK\":\"j1\"}}");
        write(modules.resolve("notes.txt"), "not a declaration");
        Path root = Files.createDirectories(dir.resolve("root"));
        try (DaemonProcess daemon =
                DaemonProcess.start(dir, "--modules-dir", modules.toString(), "--module-path", root.toString())) {
            // At boot: both started; second named after its file.
            awaitRunning(daemon, "b-yaml");
            awaitRunning(daemon, "second");
            JsonNode declared = declared(daemon);
            assertEquals(2, declared.get("files").size(), declared.toString());
            assertEquals(0, declared.get("brokenFiles").asInt(), declared.toString());
            assertEquals(
                    modules.resolve("second.json").toString(),
                    daemon.inspect("second").get("declaredIn").asString());
            String pid = exec();
            daemon.await("b-yaml sees " + pid, () -> logsContain(daemon, "b-yaml", pid));

            // Not removable through the API, forced or not: the answer names the file.
            for (String query : new String[] {"", "?force=true"}) {
                DaemonProcess.Answer refused = daemon.curl("/v1/modules/second" + query, "-X", "DELETE");
                assertEquals(409, refused.status(), refused.toString());
                assertTrue(
                        refused.json()
                                .get("error")
                                .asString()
                                .contains(modules.resolve("second.json").toString()),
                        refused.toString());
                assertEquals("running", daemon.inspect("second").get("state").asString());
            }

            // Added.
            write(modules.resolve("third.yml"), "source: bootstrap\nrestartPolicy: always\n");
            awaitRunning(daemon, "third");
            assertEquals("always", daemon.inspect("third").get("restartPolicy").asString());

            // Changed: replaced under the same name, with the new declaration.
            String firstId = daemon.inspect("b-yaml").get("id").asString();
            write(modules.resolve("first.yaml"), "name: b-yaml\nsource: bootstrap\nenv: {MARK: v2}\n");
            daemon.await("b-yaml replaced", () -> replaced(daemon, "b-yaml", firstId));
            awaitRunning(daemon, "b-yaml");
            assertEquals(
                    "v2",
                    daemon.inspect("b-yaml")
                            .get("config")
                            .get("env")
                            .get("MARK")
                            .asString());
            String secondId = idOf(daemon, "b-yaml");

            // Broken YAML: reported with the field, counted, logged once; the module keeps running untouched.
            write(modules.resolve("first.yaml"), "name: b-yaml\nsauce: bootstrap\n");
            JsonNode yamlBroken = awaitError(daemon, "first.yaml");
            assertTrue(yamlBroken.get("error").asString().contains("sauce"), yamlBroken.toString());
            assertEquals(secondId, yamlBroken.get("module").asString(), "the broken file keeps its module");
            assertEquals(secondId, idOf(daemon, "b-yaml"));
            assertEquals("running", daemon.inspect("b-yaml").get("state").asString());

            // Broken JSON, and an unknown example: the same.
            String jsonId = idOf(daemon, "second");
            write(modules.resolve("second.json"), "{\"source\":");
            JsonNode jsonBroken = awaitError(daemon, "second.json");
            assertTrue(jsonBroken.get("error").asString().contains("malformed JSON"), jsonBroken.toString());
            write(modules.resolve("fourth.json"), "{\"source\":\"no-such-example\"}");
            JsonNode unresolved = awaitError(daemon, "fourth.json");
            assertTrue(unresolved.get("error").asString().contains("no-such-example"), unresolved.toString());
            String firstRetry = unresolved.get("retryAt").asString();
            assertEquals(jsonId, idOf(daemon, "second"));
            assertEquals(404, daemon.curl("/v1/modules/fourth").status(), "nothing started from a refused file");
            // An unresolved source is tried again; wait for one retry, which is neither counted nor logged again.
            daemon.await(
                    "fourth.json tried again",
                    () -> !entry(daemon, "fourth.json")
                            .get("retryAt")
                            .asString()
                            .equals(firstRetry));
            JsonNode now = declared(daemon);
            assertEquals(3, now.get("brokenFiles").asInt(), now.toString());
            assertEquals(3, now.get("errors").asLong(), now.toString());
            // Three broken files, each read every second since: each still one log line.
            assertEquals(1, occurrences(daemon.daemonLog(), "first.yaml refused"), daemon.daemonLog());
            assertEquals(1, occurrences(daemon.daemonLog(), "second.json refused"), daemon.daemonLog());
            assertEquals(
                    1,
                    occurrences(daemon.daemonLog(), "fourth.json refused"),
                    "retried silently: " + daemon.daemonLog());
            assertEquals("running", daemon.inspect("third").get("state").asString(), "other modules untouched");

            // Removed: a running module's file, a broken file's module, a file that never started one.
            Files.delete(modules.resolve("third.yml"));
            Files.delete(modules.resolve("second.json"));
            Files.delete(modules.resolve("fourth.json"));
            daemon.await(
                    "third and second removed",
                    () -> status(daemon, "/v1/modules/third") == 404 && status(daemon, "/v1/modules/second") == 404);
            daemon.await(
                    "fourth.json forgotten", () -> declared(daemon).get("files").size() == 1);

            // A source that does not resolve yet (a file not there yet, a registry not up yet) is tried again.
            write(modules.resolve("late.json"), "{\"source\":\"" + root.resolve("late.wasm") + "\"}");
            JsonNode late = awaitError(daemon, "late.json");
            assertFalse(late.get("retryAt").isNull(), late.toString());
            // Through the class loader: the guest is the examples jar's, not this module's.
            try (var bootstrap = DeclaredModulesTest.class
                    .getClassLoader()
                    .getResourceAsStream("dev/wasmbpf/examples/bootstrap.wasm")) {
                Files.write(root.resolve("late.wasm"), bootstrap.readAllBytes());
            }
            awaitRunning(daemon, "late");
            assertTrue(entry(daemon, "late.json").get("error").isNull());
            Files.delete(modules.resolve("late.json"));
            daemon.await("late removed", () -> status(daemon, "/v1/modules/late") == 404);

            // A ConfigMap volume: name.yaml -> ..data/name.yaml, ..data -> ..v1; the update swaps ..data.
            Files.createDirectories(modules.resolve("..v1"));
            write(modules.resolve("..v1/cm.yaml"), "source: bootstrap\nenv: {MARK: cm1}\n");
            Files.createSymbolicLink(modules.resolve("..data"), Path.of("..v1"));
            Files.createSymbolicLink(modules.resolve("cm.yaml"), Path.of("..data/cm.yaml"));
            awaitRunning(daemon, "cm");
            String cmId = idOf(daemon, "cm");
            Files.createDirectories(modules.resolve("..v2"));
            write(modules.resolve("..v2/cm.yaml"), "source: bootstrap\nenv: {MARK: cm2}\n");
            Files.createSymbolicLink(modules.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(modules.resolve("..data_tmp"), modules.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            daemon.await("cm replaced after the swap", () -> replaced(daemon, "cm", cmId));
            awaitRunning(daemon, "cm");
            assertEquals(
                    "cm2",
                    daemon.inspect("cm").get("config").get("env").get("MARK").asString());
            assertEquals(2, declared(daemon).get("files").size(), "hidden ..v1/..v2/..data are no declarations");

            // Every declaration gone: every module gone with its kernel objects.
            Files.delete(modules.resolve("cm.yaml"));
            Files.delete(modules.resolve("first.yaml"));
            daemon.await("all removed", () -> listAll(daemon).isEmpty());
            daemon.awaitKernelFds(0, "no declared module left");
            daemon.stop();
        }
    }

    @Test
    void aMissingDirectoryIsRefusedAtStart() throws Exception {
        Process daemon = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        DaemonProcess.classPath(),
                        Daemon.class.getName(),
                        "--socket",
                        dir.resolve("d.sock").toString(),
                        "--modules-dir",
                        dir.resolve("absent").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(daemon.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, daemon.waitFor(), out);
        assertTrue(out.contains("--modules-dir") && out.contains("is not a directory"), out);
    }

    private static void write(Path file, String content) throws Exception {
        // Written aside and moved in: the poller never reads half a file.
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode declared(DaemonProcess daemon) {
        try {
            DaemonProcess.Answer answer = daemon.curl("/v1/declared");
            assertEquals(200, answer.status(), answer.toString());
            return answer.json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode awaitError(DaemonProcess daemon, String file) throws Exception {
        daemon.await(file + " refused", () -> {
            JsonNode entry = entry(daemon, file);
            return entry != null && !entry.get("error").isNull();
        });
        return entry(daemon, file);
    }

    private static JsonNode entry(DaemonProcess daemon, String file) {
        for (JsonNode entry : declared(daemon).get("files")) {
            if (entry.get("file").asString().endsWith("/" + file)) {
                return entry;
            }
        }
        return null;
    }

    /** The module's id, or "" while there is none by that name (between a replaced module and its successor). */
    private static String idOf(DaemonProcess daemon, String name) {
        try {
            DaemonProcess.Answer answer = daemon.curl("/v1/modules/" + name);
            return answer.status() == 200 ? answer.json().get("id").asString() : "";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean replaced(DaemonProcess daemon, String name, String oldId) {
        String id = idOf(daemon, name);
        return !id.isEmpty() && !id.equals(oldId);
    }

    /** Waits until a module by that name exists and is running (it may not exist yet). */
    private static void awaitRunning(DaemonProcess daemon, String name) throws Exception {
        daemon.await(name + " running", () -> {
            try {
                DaemonProcess.Answer answer = daemon.curl("/v1/modules/" + name);
                return answer.status() == 200
                        && answer.json().get("state").asString().equals("running");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static int status(DaemonProcess daemon, String path) {
        try {
            return daemon.curl(path).status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> listAll(DaemonProcess daemon) {
        try {
            JsonNode all = daemon.curl("/v1/modules?all=true").json();
            return java.util.stream.StreamSupport.stream(all.spliterator(), false)
                    .toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
