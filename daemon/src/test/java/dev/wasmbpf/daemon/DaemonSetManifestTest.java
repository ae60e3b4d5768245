package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbpf.oci.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * No cluster runs here, so deploy/kubernetes/ is checked structurally: the DaemonSet parsed as YAML, then the
 * fields an apps/v1 DaemonSet requires, with the types the Kubernetes OpenAPI schema gives them, and the host
 * access wasm-bpf needs (privileged, hostPID, the kernel filesystems mounted from volumes that exist); its
 * container runs {@code wasm-bpf daemon} with arguments the daemon's own parser accepts, the modules ConfigMap
 * mounted at {@code --modules-dir}, the socket's directory on a hostPath, Prometheus scrape annotations; and the
 * ConfigMap's every file parses as a declared module.
 */
class DaemonSetManifestTest {
    private static final Path MANIFEST = Path.of("../deploy/kubernetes/wasm-bpf-daemonset.yaml");
    private static final Path MODULES = Path.of("../deploy/kubernetes/wasm-bpf-modules.yaml");
    private static JsonNode daemonSet;
    private static JsonNode configMap;

    @BeforeAll
    static void parse() throws Exception {
        assertTrue(Files.exists(MANIFEST), "missing " + MANIFEST.toAbsolutePath());
        assertTrue(Files.exists(MODULES), "missing " + MODULES.toAbsolutePath());
        daemonSet = YAMLMapper.builder().build().readTree(Files.readString(MANIFEST));
        configMap = YAMLMapper.builder().build().readTree(Files.readString(MODULES));
    }

    /** The container's arguments after {@code daemon}, parsed by the daemon itself. */
    private static DaemonOptions daemonOptions() {
        JsonNode args = require(daemonSet.at("/spec/template/spec/containers/0"), "args", Type.ARRAY);
        String[] strings = new String[args.size()];
        for (int i = 0; i < args.size(); i++) {
            assertTrue(args.get(i).isString(), "args must be strings: " + args.get(i));
            strings[i] = args.get(i).asString();
        }
        assertEquals("daemon", strings[0], "the container runs `wasm-bpf daemon`");
        return DaemonOptions.parse(Arrays.copyOfRange(strings, 1, strings.length));
    }

    /** The container's volumeMount at {@code mountPath} and the volume it names. */
    private static JsonNode volumeMountedAt(String mountPath) {
        JsonNode pod = daemonSet.at("/spec/template/spec");
        for (JsonNode mount : pod.get("containers").get(0).get("volumeMounts")) {
            if (mount.get("mountPath").asString().equals(mountPath)) {
                for (JsonNode volume : pod.get("volumes")) {
                    if (volume.get("name").equals(mount.get("name"))) {
                        return volume;
                    }
                }
                fail("volumeMount at " + mountPath + " names no volume");
            }
        }
        return fail("nothing is mounted at " + mountPath);
    }

    private enum Type {
        STRING,
        BOOLEAN,
        INTEGER,
        OBJECT,
        ARRAY
    }

    /** The node at a dotted path ("spec.template.spec"), failing with the path if absent or of another type. */
    private static JsonNode require(JsonNode from, String path, Type type) {
        JsonNode node = from;
        for (String name : path.split("\\.")) {
            node = node.get(name);
            if (node == null || node.isNull()) {
                fail("missing required field " + path);
            }
        }
        boolean ok = switch (type) {
            case STRING -> node.isString();
            case BOOLEAN -> node.isBoolean();
            case INTEGER -> node.isIntegralNumber();
            case OBJECT -> node.isObject();
            case ARRAY -> node.isArray() && !node.isEmpty();
        };
        assertTrue(
                ok,
                path + " must be a " + type.name().toLowerCase() + (type == Type.ARRAY ? " (non-empty)" : "")
                        + ", found " + node);
        return node;
    }

    @Test
    void isAnAppsV1DaemonSetWithASelectorMatchingItsPodLabels() {
        assertEquals("apps/v1", require(daemonSet, "apiVersion", Type.STRING).asString());
        assertEquals("DaemonSet", require(daemonSet, "kind", Type.STRING).asString());
        String name = require(daemonSet, "metadata.name", Type.STRING).asString();
        assertTrue(
                name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63,
                "metadata.name is not a DNS label: " + name);

        JsonNode selector = require(daemonSet, "spec.selector.matchLabels", Type.OBJECT);
        JsonNode podLabels = require(daemonSet, "spec.template.metadata.labels", Type.OBJECT);
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            assertEquals(
                    label.getValue(),
                    podLabels.get(label.getKey()),
                    "selector label " + label.getKey() + " must match the pod template");
        }
        if (daemonSet.at("/spec/updateStrategy/type").isString()) {
            assertTrue(Set.of("RollingUpdate", "OnDelete")
                    .contains(daemonSet.at("/spec/updateStrategy/type").asString()));
        }
    }

    @Test
    void runsTheDaemonPrivilegedInTheHostPidNamespace() throws Exception {
        JsonNode pod = require(daemonSet, "spec.template.spec", Type.OBJECT);
        assertTrue(require(pod, "hostPID", Type.BOOLEAN).asBoolean(), "hostPID must be true");
        JsonNode containers = require(pod, "containers", Type.ARRAY);
        JsonNode container = containers.get(0);
        require(container, "name", Type.STRING);
        require(container, "image", Type.STRING);
        assertTrue(
                require(container, "securityContext.privileged", Type.BOOLEAN).asBoolean(),
                "the container must be privileged");

        DaemonOptions options = daemonOptions(); // throws with the reason if the daemon would refuse them
        assertNotNull(options.modulesDir(), "the daemon runs the declared modules");
        assertNotNull(options.metrics(), "the daemon serves the metrics the scrape annotations point at");
        assertEquals(
                daemonSet
                        .at("/spec/template/metadata/annotations/prometheus.io~1port")
                        .asString(),
                Integer.toString(options.metrics().getPort()),
                "prometheus.io/port is the --metrics port");
        assertFalse(options.metrics().getAddress().isLoopbackAddress(), "--metrics must be reachable from the scraper");
        if (pod.has("terminationGracePeriodSeconds")) {
            require(pod, "terminationGracePeriodSeconds", Type.INTEGER);
        }
    }

    @Test
    void mountsTheKernelFilesystemsFromHostPathVolumesThatExist() {
        JsonNode pod = daemonSet.at("/spec/template/spec");
        Map<String, JsonNode> volumes = new HashMap<>();
        for (JsonNode volume : require(pod, "volumes", Type.ARRAY)) {
            String name = require(volume, "name", Type.STRING).asString();
            assertFalse(volumes.containsKey(name), "duplicate volume " + name);
            volumes.put(name, volume);
        }
        Map<String, String> hostPathByMount = new HashMap<>();
        Set<String> mountPaths = new HashSet<>();
        for (JsonNode mount : require(pod.get("containers").get(0), "volumeMounts", Type.ARRAY)) {
            String name = require(mount, "name", Type.STRING).asString();
            String path = require(mount, "mountPath", Type.STRING).asString();
            assertTrue(volumes.containsKey(name), "volumeMount " + name + " names no volume");
            assertTrue(mountPaths.add(path), "two mounts at " + path);
            if (mount.has("readOnly")) {
                require(mount, "readOnly", Type.BOOLEAN);
            }
            if (mount.has("mountPropagation")) {
                assertTrue(Set.of("None", "HostToContainer", "Bidirectional")
                        .contains(mount.get("mountPropagation").asString()));
            }
            JsonNode hostPath = volumes.get(name).get("hostPath");
            if (hostPath != null) {
                hostPathByMount.put(path, require(hostPath, "path", Type.STRING).asString());
                if (hostPath.has("type")) {
                    assertTrue(
                            Set.of(
                                            "",
                                            "DirectoryOrCreate",
                                            "Directory",
                                            "FileOrCreate",
                                            "File",
                                            "Socket",
                                            "CharDevice",
                                            "BlockDevice")
                                    .contains(hostPath.get("type").asString()),
                            "bad hostPath type " + hostPath.get("type"));
                }
            }
        }
        for (String kernelFs : List.of("/sys/kernel/btf", "/sys/fs/bpf", "/sys/kernel/tracing", "/sys/fs/cgroup")) {
            assertEquals(
                    kernelFs, hostPathByMount.get(kernelFs), kernelFs + " must be mounted from the host's " + kernelFs);
        }
    }

    @Test
    void mountsTheModulesConfigMapAtTheModulesDirAndTheSocketDirFromTheHost() {
        DaemonOptions options = daemonOptions();
        JsonNode modules = volumeMountedAt(options.modulesDir().toString());
        assertEquals(
                require(configMap, "metadata.name", Type.STRING).asString(),
                require(modules, "configMap.name", Type.STRING).asString(),
                "--modules-dir is the modules ConfigMap");
        String socketDir = options.socket().getParent().toString();
        assertEquals(
                socketDir,
                require(volumeMountedAt(socketDir), "hostPath.path", Type.STRING)
                        .asString(),
                "the socket's directory is the node's, for node-local clients");
    }

    @Test
    void theConfigMapDeclaresModulesTheDaemonAccepts() throws Exception {
        assertEquals("v1", require(configMap, "apiVersion", Type.STRING).asString());
        assertEquals("ConfigMap", require(configMap, "kind", Type.STRING).asString());
        JsonNode data = require(configMap, "data", Type.OBJECT);
        assertFalse(data.isEmpty(), "at least one example module");
        for (Map.Entry<String, JsonNode> file : data.properties()) {
            assertTrue(
                    DeclaredModuleFile.isDeclaration(file.getKey()), "not a declaration file name: " + file.getKey());
            assertTrue(file.getValue().isString(), file.getKey() + " must be a string");
            ModuleSpec spec = DeclaredModuleFile.parse(
                    file.getKey(), file.getValue().asString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!spec.source().matches("[a-z0-9_-]+")) {
                ModuleReference.parse(spec.source()); // an OCI reference, well formed
            }
        }
    }

    @Test
    void isScrapedByPrometheusOnItsMetricsPort() {
        JsonNode annotations = require(daemonSet, "spec.template.metadata.annotations", Type.OBJECT);
        for (Map.Entry<String, JsonNode> annotation : annotations.properties()) {
            // Kubernetes refuses an annotation that is not a string (an unquoted true or 9464 in YAML).
            assertTrue(annotation.getValue().isString(), "annotation " + annotation.getKey() + " must be a string");
        }
        assertEquals("true", annotations.path("prometheus.io/scrape").asString(""));
        String port = annotations.path("prometheus.io/port").asString("");
        assertEquals("9464", port);
        boolean declared = false;
        for (JsonNode containerPort : daemonSet.at("/spec/template/spec/containers/0/ports")) {
            declared |= containerPort.path("containerPort").asInt() == Integer.parseInt(port);
        }
        assertTrue(declared, "the scraped port is a container port");
    }
}
