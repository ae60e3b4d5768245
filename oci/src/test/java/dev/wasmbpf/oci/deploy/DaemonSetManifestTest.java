package dev.wasmbpf.oci.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbpf.oci.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * No cluster runs here, so deploy/kubernetes/wasm-bpf-daemonset.yaml is checked structurally:
 * parsed as YAML, then the fields an apps/v1 DaemonSet requires, with the types the Kubernetes
 * OpenAPI schema gives them, and the host access wasm-bpf needs (privileged, hostPID, the kernel
 * filesystems mounted from volumes that exist).
 */
class DaemonSetManifestTest {
    private static final Path MANIFEST = Path.of("../deploy/kubernetes/wasm-bpf-daemonset.yaml");
    private static JsonNode daemonSet;

    @BeforeAll
    static void parse() throws Exception {
        assertTrue(Files.exists(MANIFEST), "missing " + MANIFEST.toAbsolutePath());
        daemonSet = YAMLMapper.builder().build().readTree(Files.readString(MANIFEST));
    }

    private enum Type { STRING, BOOLEAN, INTEGER, OBJECT, ARRAY }

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
        assertTrue(ok, path + " must be a " + type.name().toLowerCase() + (type == Type.ARRAY ? " (non-empty)" : "") + ", found " + node);
        return node;
    }

    @Test
    void isAnAppsV1DaemonSetWithASelectorMatchingItsPodLabels() {
        assertEquals("apps/v1", require(daemonSet, "apiVersion", Type.STRING).asString());
        assertEquals("DaemonSet", require(daemonSet, "kind", Type.STRING).asString());
        String name = require(daemonSet, "metadata.name", Type.STRING).asString();
        assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, "metadata.name is not a DNS label: " + name);

        JsonNode selector = require(daemonSet, "spec.selector.matchLabels", Type.OBJECT);
        JsonNode podLabels = require(daemonSet, "spec.template.metadata.labels", Type.OBJECT);
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            assertEquals(label.getValue(), podLabels.get(label.getKey()), "selector label " + label.getKey() + " must match the pod template");
        }
        if (daemonSet.at("/spec/updateStrategy/type").isString()) {
            assertTrue(Set.of("RollingUpdate", "OnDelete").contains(daemonSet.at("/spec/updateStrategy/type").asString()));
        }
    }

    @Test
    void runsWasmBpfRunOnAPinnableReferencePrivilegedInTheHostPidNamespace() throws Exception {
        JsonNode pod = require(daemonSet, "spec.template.spec", Type.OBJECT);
        assertTrue(require(pod, "hostPID", Type.BOOLEAN).asBoolean(), "hostPID must be true");
        JsonNode containers = require(pod, "containers", Type.ARRAY);
        JsonNode container = containers.get(0);
        require(container, "name", Type.STRING);
        require(container, "image", Type.STRING);
        assertTrue(require(container, "securityContext.privileged", Type.BOOLEAN).asBoolean(), "the container must be privileged");

        JsonNode args = require(container, "args", Type.ARRAY);
        assertEquals("run", args.get(0).asString());
        String reference = args.get(args.size() - 1).asString();
        ModuleReference.parse(reference); // throws with the reason if it is not a REGISTRY/REPOSITORY[:TAG|@DIGEST]
        for (JsonNode arg : args) {
            assertTrue(arg.isString(), "args must be strings: " + arg);
        }
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
                assertTrue(Set.of("None", "HostToContainer", "Bidirectional").contains(mount.get("mountPropagation").asString()));
            }
            JsonNode hostPath = volumes.get(name).get("hostPath");
            if (hostPath != null) {
                hostPathByMount.put(path, require(hostPath, "path", Type.STRING).asString());
                if (hostPath.has("type")) {
                    assertTrue(Set.of("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice")
                            .contains(hostPath.get("type").asString()), "bad hostPath type " + hostPath.get("type"));
                }
            }
        }
        for (String kernelFs : List.of("/sys/kernel/btf", "/sys/fs/bpf", "/sys/kernel/tracing", "/sys/fs/cgroup")) {
            assertEquals(kernelFs, hostPathByMount.get(kernelFs), kernelFs + " must be mounted from the host's " + kernelFs);
        }
    }
}
