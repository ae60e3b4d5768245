package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics}: the Prometheus text a scraper gets, parsed, moves as the test's execs arrive and modules end. */
class MetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    @Test
    void scrapedValuesFollowTheModules() throws Exception {
        KernelTestSupport.requireKernel();
        try (DaemonProcess daemon = DaemonProcess.start(dir, "--metrics", "127.0.0.1:0")) {
            int port = daemon.loggedPort("metrics on http://");
            String url = "http://127.0.0.1:" + port + "/metrics";

            Map<String, Double> empty = scrape(url);
            assertEquals(0.0, value(empty, "wasm_bpf_daemon_modules", "state", "running"));
            assertTrue(value(empty, "wasm_bpf_daemon_resident_memory_bytes") > 10 << 20, empty.toString());

            String id = daemon.create("{\"source\":\"bootstrap\",\"name\":\"m1\"}")
                    .get("id")
                    .asString();
            daemon.awaitState(id, "running");
            String pid = ModuleApiTest.exec();
            daemon.await("exec " + pid + " in the logs", () -> ModuleApiTest.logsContain(daemon, id, pid));
            Map<String, Double> first = scrape(url);
            double samples = value(first, "wasm_bpf_module_samples_delivered_total", "id", id, "name", "m1");
            assertTrue(samples >= 2, "EXEC and EXIT of the test's exec: " + samples);
            assertEquals(1.0, value(first, "wasm_bpf_module_state", "id", id, "name", "m1", "state", "running"));
            assertEquals(0.0, value(first, "wasm_bpf_module_state", "id", id, "name", "m1", "state", "exited"));
            assertEquals(1.0, value(first, "wasm_bpf_daemon_modules", "state", "running"));
            assertEquals(0.0, value(first, "wasm_bpf_module_restarts_total", "id", id, "name", "m1"));
            assertTrue(value(first, "wasm_bpf_module_kernel_objects", "id", id, "kind", "programs", "name", "m1") >= 2);
            assertTrue(value(first, "wasm_bpf_module_kernel_objects", "id", id, "kind", "links", "name", "m1") >= 2);
            assertTrue(value(first, "wasm_bpf_module_memory_bytes", "id", id, "name", "m1") > 0);
            assertTrue(
                    value(
                                    first,
                                    "wasm_bpf_module_host_calls_total",
                                    "function",
                                    "wasm_bpf_buffer_poll",
                                    "id",
                                    id,
                                    "module",
                                    "wasm_bpf",
                                    "name",
                                    "m1")
                            > 0,
                    first.toString());

            String last = null;
            for (int i = 0; i < 10; i++) {
                last = ModuleApiTest.exec();
            }
            String lastPid = last;
            daemon.await("exec " + lastPid + " in the logs", () -> ModuleApiTest.logsContain(daemon, id, lastPid));
            double later = value(scrape(url), "wasm_bpf_module_samples_delivered_total", "id", id, "name", "m1");
            assertTrue(later >= samples + 20, "10 more execs: " + samples + " -> " + later);

            daemon.post("/v1/modules/" + id + "/stop", "");
            Map<String, Double> stopped = scrape(url);
            assertEquals(1.0, value(stopped, "wasm_bpf_daemon_modules", "state", "exited"));
            assertEquals(0.0, value(stopped, "wasm_bpf_daemon_modules", "state", "running"));
            assertEquals(1.0, value(stopped, "wasm_bpf_module_state", "id", id, "name", "m1", "state", "exited"));
            assertEquals(
                    0.0, value(stopped, "wasm_bpf_module_kernel_objects", "id", id, "kind", "programs", "name", "m1"));

            assertEquals(
                    404,
                    TokenAuthTest.curl("http://127.0.0.1:" + port + "/v1/health")
                            .status(),
                    "the metrics address does not serve the API");
            daemon.stop();
        }
    }

    /** Every sample of the scrape, keyed by name and its labels in name order. */
    static Map<String, Double> scrape(String url) throws Exception {
        DaemonProcess.Answer answer = TokenAuthTest.curl(url);
        assertEquals(200, answer.status(), answer.toString());
        Map<String, Double> samples = new HashMap<>();
        for (String line : answer.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher label = LABEL.matcher(m.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
        }
        return samples;
    }

    static double value(Map<String, Double> samples, String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        Double value = samples.get(key(name, labels));
        assertTrue(value != null, "no sample " + key(name, labels) + " in " + new TreeMap<>(samples).keySet());
        return value;
    }

    private static String key(String name, Map<String, String> labels) {
        return name + labels;
    }
}
