package dev.wasmbpf.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import land.oras.Index;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.ManifestDescriptor;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * Resolves a reference (tag or digest) to its manifest (through an image index if need be), fetches the module layer, checks it
 * against its digest and keeps it in the {@link ModuleCache}. A layer already cached is not
 * fetched again; a tag is always resolved afresh, since tags move.
 */
public final class ModulePuller {
    /** application/wasm, plus the layer types older Wasm-in-OCI tools (wasm-to-oci, solo.io) push. */
    static final Set<String> MODULE_LAYER_TYPES = Set.of(
            WasmArtifact.LAYER_MEDIA_TYPE,
            "application/vnd.wasm.content.layer.v1+wasm",
            "application/vnd.module.wasm.content.layer.v1+wasm");

    private static final Set<String> INDEX_TYPES = Set.of(
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json");

    private final RegistryAccess access;
    private final ModuleCache cache;

    public ModulePuller(RegistryAccess access, ModuleCache cache) {
        this.access = access;
        this.cache = cache;
    }

    public PulledModule pull(ModuleReference reference) throws OciException {
        Registry registry = access.registry();
        ResolvedManifest resolved = resolve(registry, reference);
        Manifest manifest = resolved.manifest();
        String manifestDigest = resolved.digest();
        Layer layer = moduleLayer(reference, manifest);
        String layerDigest = layer.getDigest();
        if (!Digests.isSha256(layerDigest)) {
            throw new OciException("cannot pull " + reference + ": layer digest " + layerDigest + " is not sha256");
        }
        Map<String, String> annotations = manifest.getAnnotations() == null ? Map.of() : manifest.getAnnotations();
        Optional<byte[]> cached = cache.read(layerDigest);
        if (cached.isPresent()) {
            return new PulledModule(
                    reference, manifestDigest, layerDigest, cached.get(), cache.pathOf(layerDigest), true, annotations);
        }
        long size = layer.getSize() == null ? -1 : layer.getSize();
        if (size > WasmArtifact.MAX_MODULE_SIZE) {
            throw new OciException("cannot pull " + reference + ": module layer of " + size + " bytes is larger than "
                    + WasmArtifact.MAX_MODULE_SIZE);
        }
        byte[] bytes = fetch(registry, reference, layerDigest);
        Digests.verify("the module layer of " + reference, layerDigest, bytes);
        if (size >= 0 && bytes.length != size) {
            throw new OciException("size mismatch for the module layer of " + reference + ": expected " + size
                    + " bytes, got " + bytes.length);
        }
        return new PulledModule(
                reference, manifestDigest, layerDigest, bytes, cache.write(layerDigest, bytes), false, annotations);
    }

    private record ResolvedManifest(Manifest manifest, String digest) {}

    /**
     * The module's manifest, checked against the digest that named it. A reference to an image
     * index (several platforms) resolves to its entry for platform wasm, or to its only entry.
     */
    private static ResolvedManifest resolve(Registry registry, ModuleReference reference) throws OciException {
        try {
            String mediaType =
                    registry.probeDescriptor(reference.containerRef()).getMediaType();
            if (!INDEX_TYPES.contains(mediaType)) {
                Manifest manifest = registry.getManifest(reference.containerRef());
                String digest = Digests.sha256(manifest.getJson().getBytes(StandardCharsets.UTF_8));
                // Pulling by digest promises exactly that manifest: check it, since the layer digest comes from it.
                if (reference.digest().isPresent() && !reference.digest().get().equals(digest)) {
                    throw new DigestMismatchException(
                            "the manifest of " + reference, reference.digest().get(), digest);
                }
                return new ResolvedManifest(manifest, digest);
            }
            Index index = registry.getIndex(reference.containerRef());
            String indexDigest = Digests.sha256(index.getJson().getBytes(StandardCharsets.UTF_8));
            if (reference.digest().isPresent() && !reference.digest().get().equals(indexDigest)) {
                throw new DigestMismatchException(
                        "the index of " + reference, reference.digest().get(), indexDigest);
            }
            ManifestDescriptor entry = wasmEntry(reference, index);
            Manifest manifest =
                    registry.getManifest(reference.withDigest(entry.getDigest()).containerRef());
            String digest = Digests.sha256(manifest.getJson().getBytes(StandardCharsets.UTF_8));
            if (!digest.equals(entry.getDigest())) {
                throw new DigestMismatchException(
                        "the wasm manifest in the index of " + reference, entry.getDigest(), digest);
            }
            return new ResolvedManifest(manifest, digest);
        } catch (OrasException e) {
            throw RegistryErrors.describe("pull", reference, e);
        }
    }

    private static ManifestDescriptor wasmEntry(ModuleReference reference, Index index) throws OciException {
        List<ManifestDescriptor> entries = index.getManifests() == null ? List.of() : index.getManifests();
        List<ManifestDescriptor> wasm = entries.stream()
                .filter(e -> e.getPlatformOrNull() != null
                        && "wasm".equals(e.getPlatformOrNull().architecture()))
                .toList();
        if (wasm.size() == 1) {
            return wasm.getFirst();
        }
        if (wasm.isEmpty() && entries.size() == 1) {
            return entries.getFirst();
        }
        throw new OciException(reference + " is an image index with " + entries.size() + " manifests and " + wasm.size()
                + " for platform wasm; name the module's manifest by digest (REF@sha256:...)");
    }

    private static Layer moduleLayer(ModuleReference reference, Manifest manifest) throws OciException {
        List<Layer> layers = manifest.getLayers() == null ? List.of() : manifest.getLayers();
        List<Layer> modules = layers.stream()
                .filter(l -> MODULE_LAYER_TYPES.contains(l.getMediaType()))
                .toList();
        if (modules.size() == 1) {
            return modules.getFirst();
        }
        String configType =
                manifest.getConfig() == null ? "none" : manifest.getConfig().getMediaType();
        if (modules.isEmpty()) {
            throw new OciException(reference + " is not a Wasm module artifact: no " + WasmArtifact.LAYER_MEDIA_TYPE
                    + " layer (config media type " + configType + ", " + layers.size() + " layer(s))");
        }
        throw new OciException(
                reference + " has " + modules.size() + " Wasm layers; wasm-bpf runs artifacts with exactly one");
    }

    private static byte[] fetch(Registry registry, ModuleReference reference, String digest) throws OciException {
        try (InputStream in = registry.fetchBlob(reference.containerRef().withDigest(digest))) {
            byte[] bytes = in.readNBytes((int) WasmArtifact.MAX_MODULE_SIZE + 1);
            if (bytes.length > WasmArtifact.MAX_MODULE_SIZE) {
                throw new OciException("cannot pull " + reference + ": module layer is larger than "
                        + WasmArtifact.MAX_MODULE_SIZE + " bytes");
            }
            return bytes;
        } catch (OrasException e) {
            throw RegistryErrors.describe("fetch the module layer of", reference, e);
        } catch (IOException e) {
            throw new OciException("cannot fetch the module layer of " + reference + ": " + e.getMessage(), e);
        }
    }
}
