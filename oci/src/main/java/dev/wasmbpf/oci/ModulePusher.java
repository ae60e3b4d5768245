package dev.wasmbpf.oci;

import dev.wasmbpf.oci.inspect.ModuleInspection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;

/** Pushes a module as a Wasm OCI artifact (see {@link WasmArtifact}) through the ORAS SDK. */
public final class ModulePusher {
    private final RegistryAccess access;

    public ModulePusher(RegistryAccess access) {
        this.access = access;
    }

    /**
     * Pushes {@code module} to {@code reference}; {@code extraAnnotations} (from --annotation) win
     * over derived ones with the same key.
     */
    public PushedModule push(ModuleReference reference, Path module, Map<String, String> extraAnnotations)
            throws OciException {
        return push(reference, module.getFileName().toString(), read(module), extraAnnotations);
    }

    /** Pushes module bytes that have no file (a bundled example); {@code title} names the layer. */
    public PushedModule push(ModuleReference reference, String title, byte[] wasm, Map<String, String> extraAnnotations)
            throws OciException {
        if (wasm.length > WasmArtifact.MAX_MODULE_SIZE) {
            throw new OciException(title + " is larger than " + WasmArtifact.MAX_MODULE_SIZE + " bytes");
        }
        ModuleInspection inspection = ModuleInspection.of(title, wasm);
        Instant created = creationTime(extraAnnotations);
        Map<String, String> annotations = new LinkedHashMap<>(ModuleAnnotations.derive(title, inspection, created));
        annotations.putAll(extraAnnotations);
        String layerDigest = Digests.sha256(wasm);
        byte[] config = configJson(created, layerDigest);

        Registry registry = access.registry();
        ContainerRef target = reference.containerRef();
        try {
            Layer pushedBlob = registry.pushBlob(target, wasm);
            // A descriptor made from the digest alone: the one pushBlob returns carries the content
            // as base64 "data", which would copy the whole module into the manifest.
            Layer layer = Layer.fromDigest(pushedBlob.getDigest(), pushedBlob.getSize())
                    .withMediaType(WasmArtifact.LAYER_MEDIA_TYPE)
                    .withAnnotations(Map.of(WasmArtifact.TITLE, title));
            Layer configBlob = registry.pushBlob(target, config);
            Manifest manifest = Manifest.empty()
                    .withConfig(Config.fromBlob(WasmArtifact.CONFIG_MEDIA_TYPE, configBlob))
                    .withLayers(List.of(layer))
                    .withAnnotations(annotations);
            Manifest pushed = registry.pushManifest(target, manifest);
            String manifestDigest = Digests.sha256(pushed.getJson().getBytes(StandardCharsets.UTF_8));
            return new PushedModule(reference, manifestDigest, layerDigest, wasm.length, annotations);
        } catch (OrasException e) {
            throw RegistryErrors.describe("push to", reference, e);
        }
    }

    /**
     * The artifact's creation time: an explicit {@code org.opencontainers.image.created} annotation, else
     * {@code SOURCE_DATE_EPOCH} (the reproducible-builds convention), else now. With either of the first two,
     * pushing the same module again gives the same manifest digest.
     */
    static Instant creationTime(Map<String, String> extraAnnotations) throws OciException {
        String given = extraAnnotations.get(WasmArtifact.CREATED);
        if (given != null) {
            try {
                return Instant.parse(given);
            } catch (java.time.format.DateTimeParseException e) {
                throw new OciException("annotation " + WasmArtifact.CREATED + "=" + given
                        + " is not an RFC 3339 time such as 2026-01-31T12:00:00Z");
            }
        }
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(epoch));
        }
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * The config of the Wasm OCI artifact layout: architecture "wasm", os "wasip1" (a core module
     * importing WASI preview 1), and the digests of the layers it describes.
     */
    static byte[] configJson(Instant created, String layerDigest) {
        String json = "{\"created\":\"" + created + "\",\"architecture\":\"wasm\",\"os\":\"wasip1\","
                + "\"layerDigests\":[\"" + layerDigest + "\"]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path module) throws OciException {
        try {
            if (Files.size(module) > WasmArtifact.MAX_MODULE_SIZE) {
                throw new OciException(module + " is larger than " + WasmArtifact.MAX_MODULE_SIZE + " bytes");
            }
            return Files.readAllBytes(module);
        } catch (NoSuchFileException e) {
            throw new OciException("module file not found: " + module);
        } catch (IOException e) {
            throw new OciException("cannot read " + module + ": " + e.getMessage(), e);
        }
    }
}
