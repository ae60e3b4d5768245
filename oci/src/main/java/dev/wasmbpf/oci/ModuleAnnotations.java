package dev.wasmbpf.oci;

import dev.wasmbpf.oci.inspect.EmbeddedBpfObject;
import dev.wasmbpf.oci.inspect.KernelRequirement;
import dev.wasmbpf.oci.inspect.ModuleInspection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The manifest annotations derived from a module, so `skopeo inspect` shows what it loads. */
final class ModuleAnnotations {
    private ModuleAnnotations() {}

    static Map<String, String> derive(String title, ModuleInspection inspection, Instant created) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(WasmArtifact.TITLE, title);
        annotations.put(
                WasmArtifact.CREATED, created.truncatedTo(ChronoUnit.SECONDS).toString());
        annotations.put(WasmArtifact.IMPORT_MODULES, String.join(",", inspection.importModules()));
        if (!inspection.programs().isEmpty()) {
            annotations.put(
                    WasmArtifact.BPF_PROGRAMS,
                    inspection.programs().stream()
                            .map(p -> p.name() + ":" + p.section())
                            .collect(Collectors.joining(",")));
            annotations.put(
                    WasmArtifact.BPF_PROGRAM_TYPES,
                    inspection.programs().stream()
                            .map(EmbeddedBpfObject.Program::typeName)
                            .distinct()
                            .collect(Collectors.joining(",")));
        }
        if (!inspection.maps().isEmpty()) {
            annotations.put(
                    WasmArtifact.BPF_MAPS,
                    inspection.maps().stream()
                            .map(m -> m.name() + ":" + m.typeName())
                            .collect(Collectors.joining(",")));
        }
        inspection.minimumKernel().ifPresent(v -> annotations.put(WasmArtifact.KERNEL_MIN, v.toString()));
        if (!inspection.requirements().isEmpty()) {
            annotations.put(
                    WasmArtifact.KERNEL_FEATURES,
                    inspection.requirements().stream()
                            .map(KernelRequirement::feature)
                            .collect(Collectors.joining(",")));
        }
        return annotations;
    }
}
