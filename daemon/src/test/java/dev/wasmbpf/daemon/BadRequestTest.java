package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Bad input gets a clear answer and changes nothing: hand-written and generated bad requests, each a 4xx/5xx JSON
 * error naming the field; afterwards the daemon still serves, runs no module and holds no kernel object.
 */
class BadRequestTest {
    @TempDir
    Path dir;

    /** One bad request and the answer it must get. */
    record Case(String method, String path, String contentType, String body, int status, String field) {
        static Case create(String body, int status, String field) {
            return new Case("POST", "/v1/modules", "application/json", body, status, field);
        }
    }

    @Test
    void everyBadRequestIsRefusedNamingItsFieldAndNothingIsStartedOrLeaked() throws Exception {
        Path root = Files.createDirectories(dir.resolve("modules"));
        Path notWasm = Files.writeString(root.resolve("notes.wasm"), "not a module");
        Path garbage = Files.write(dir.resolve("garbage.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 99, 99, 99});
        Path tooBig = Files.write(dir.resolve("big.wasm"), new byte[4096]);
        try (DaemonProcess daemon =
                DaemonProcess.start(dir, "--module-path", root.toString(), "--max-upload", "1024")) {
            long baseline = daemon.kernelFds();
            String garbageSource = daemon.upload(garbage);
            List<Case> cases = new ArrayList<>(List.of(
                    Case.create("{", 400, "body"),
                    Case.create("not json", 400, "body"),
                    Case.create("[]", 400, "body"),
                    Case.create("null", 400, "body"),
                    Case.create("", 400, "body"),
                    Case.create("{\"source\":\"bootstrap\"} {}", 400, "body"),
                    Case.create("{\"source\":\"bootstrap\",\"args\":[null]}", 400, "args[0]"),
                    Case.create("{\"source\":\"bootstrap\",\"args\":[\"a\",1]}", 400, "args[1]"),
                    Case.create("{\"source\":\"bootstrap\",\"env\":{\"A\":1}}", 400, "env.A"),
                    Case.create("{\"source\":\"bootstrap\",\"env\":{\"A=B\":\"x\"}}", 400, "env.A=B"),
                    Case.create("{\"source\":\"bootstrap\",\"env\":{\"A\":null}}", 400, "env.A"),
                    Case.create("{\"source\":\"bootstrap\",\"timeout\":\"5 days\"}", 400, "timeout"),
                    Case.create("{\"source\":\"bootstrap\",\"timeout\":\"0s\"}", 400, "timeout"),
                    Case.create("{\"source\":\"bootstrap\",\"maxMemory\":-1}", 400, "maxMemory"),
                    Case.create("{\"source\":\"bootstrap\",\"allowAttach\":[\"relative\"]}", 400, "allowAttach[0]"),
                    Case.create("{\"source\":\"bootstrap\",\"restartPolicy\":\"sometimes\"}", 400, "restartPolicy"),
                    Case.create("{\"source\":\"bootstrap\",\"name\":\"bad name\"}", 400, "name"),
                    Case.create("{\"source\":\"bootstrap\",\"name\":\"\"}", 400, "name"),
                    Case.create("{\"source\":\"bootstrap\",\"name\":\"" + "n".repeat(100) + "\"}", 400, "name"),
                    Case.create("{\"source\":\"bootstrap\",\"bogus\":1}", 400, "bogus"),
                    Case.create("{\"source\":\"bootstrap\",\"Source\":\"x\"}", 400, "Source"),
                    Case.create("{}", 400, "source"),
                    Case.create("{\"source\":\"\"}", 400, "source"),
                    Case.create("{\"source\":\"nosuch\"}", 404, "source"),
                    Case.create("{\"source\":\"Bad Name!\"}", 400, "source"),
                    Case.create("{\"source\":\"/etc/passwd\"}", 403, "source"),
                    Case.create("{\"source\":\"" + root + "/../../etc/passwd\"}", 403, "source"),
                    Case.create("{\"source\":\"" + root + "/missing.wasm\"}", 404, "source"),
                    Case.create("{\"source\":\"" + notWasm + "\"}", 400, "source"),
                    Case.create("{\"source\":\"" + root + "\"}", 400, "source"),
                    Case.create("{\"source\":\"relative/path.wasm\"}", 400, "source"),
                    Case.create("{\"source\":\"localhost:1/x:y\"}", 502, "source"),
                    Case.create("{\"source\":\"registry.invalid/x@sha256:abc\"}", 400, "source"),
                    Case.create("{\"source\":\"registry.example/x:bad tag\"}", 400, "source"),
                    Case.create("{\"source\":\"upload:sha256:" + "0".repeat(64) + "\"}", 404, "source"),
                    Case.create("{\"source\":\"upload:md5:00\"}", 400, "source"),
                    Case.create("{\"source\":\"" + garbageSource + "\"}", 400, "source"),
                    Case.create("{\"source\":\"bootstrap\",\"args\":[\"" + "x".repeat(70_000) + "\"]}", 413, "body"),
                    new Case("POST", "/v1/uploads", "text/plain", "hello", 415, "Content-Type"),
                    new Case("POST", "/v1/uploads", "application/wasm", "hello wasm", 400, "body"),
                    new Case("POST", "/v1/uploads", "application/wasm", "@" + tooBig, 413, "body"),
                    new Case("GET", "/v1/modules/nosuch", null, null, 404, "id"),
                    new Case("DELETE", "/v1/modules/nosuch", null, null, 404, "id"),
                    new Case("DELETE", "/v1/modules/nosuch?force=maybe", null, null, 400, "force"),
                    new Case("POST", "/v1/modules/nosuch/stop", null, null, 404, "id"),
                    new Case("POST", "/v1/modules/nosuch/stop?time=abc", null, null, 400, "time"),
                    new Case("POST", "/v1/modules/nosuch/stop?time=-1", null, null, 400, "time"),
                    new Case("POST", "/v1/modules/nosuch/pause", null, null, 404, "id"),
                    new Case("POST", "/v1/modules/nosuch/resume", null, null, 404, "id"),
                    new Case("GET", "/v1/modules/nosuch/logs", null, null, 404, "id"),
                    new Case("GET", "/v1/modules/nosuch/logs?follow=perhaps", null, null, 400, "follow"),
                    new Case("GET", "/v1/modules?all=maybe", null, null, 400, "all"),
                    new Case("PUT", "/v1/modules", null, null, 405, "method"),
                    new Case("DELETE", "/v1/health", null, null, 405, "method"),
                    new Case("GET", "/v1/nope", null, null, 404, "path"),
                    new Case("GET", "/v2/modules", null, null, 404, "path")));
            // Generated: each field of a create request given each JSON kind it is not.
            Map<String, List<String>> wrong = Map.of(
                    "source", List.of("true", "{}", "[]", "12"),
                    "name", List.of("true", "{}", "[]", "12"),
                    "timeout", List.of("true", "{}", "[]", "5"),
                    "restartPolicy", List.of("true", "{}", "[]", "1"),
                    "args", List.of("true", "{}", "\"s\"", "3"),
                    "allowAttach", List.of("true", "{}", "\"/x\"", "3"),
                    "env", List.of("true", "[]", "\"s\"", "3"),
                    "maxMemory", List.of("true", "{}", "[]", "\"big\"", "1.5"));
            wrong.forEach((field, values) -> {
                for (String value : values) {
                    String body = field.equals("source")
                            ? "{\"source\":" + value + "}"
                            : "{\"source\":\"bootstrap\",\"" + field + "\":" + value + "}";
                    cases.add(Case.create(body, 400, field));
                }
            });
            assertTrue(cases.size() >= 50, "at least 50 bad requests, got " + cases.size());

            List<String> failures = new ArrayList<>();
            for (Case c : cases) {
                List<String> options = new ArrayList<>(List.of("-X", c.method()));
                if (c.contentType() != null) {
                    options.addAll(List.of("-H", "Content-Type: " + c.contentType()));
                }
                if (c.body() != null) {
                    options.addAll(List.of("--data-binary", c.body()));
                }
                DaemonProcess.Answer answer = daemon.curl(c.path(), options.toArray(String[]::new));
                JsonNode error;
                try {
                    error = answer.json();
                } catch (RuntimeException e) {
                    failures.add(c + " → not JSON: " + answer);
                    continue;
                }
                if (answer.status() != c.status()
                        || !c.field().equals(error.path("field").asString(""))
                        || error.path("error").asString("").isBlank()) {
                    failures.add(c + " → " + answer);
                }
            }
            assertTrue(
                    failures.isEmpty(),
                    failures.size() + " of " + cases.size() + " answered wrongly:\n" + String.join("\n", failures));

            assertEquals(200, daemon.curl("/v1/health").status(), "still serving");
            assertEquals("[]", daemon.curl("/v1/modules?all=true").body(), "nothing started");
            assertEquals(baseline, daemon.kernelFds(), "no kernel object held");
            assertFalse(daemon.daemonLog().contains("internal error"), daemon.daemonLog());
            daemon.stop();
        }
    }
}
