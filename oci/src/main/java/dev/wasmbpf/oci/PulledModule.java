package dev.wasmbpf.oci;

import java.nio.file.Path;
import java.util.Map;

/** A module fetched (or found in the cache) and verified: its bytes, where they are cached, and what the manifest said. */
public record PulledModule(
        ModuleReference reference,
        String manifestDigest,
        String layerDigest,
        byte[] bytes,
        Path cachedAt,
        boolean fromCache,
        Map<String, String> annotations) {
    /** The name to show for the module, from the title annotation if the pusher gave one. */
    public String title() {
        return annotations.getOrDefault(
                WasmArtifact.TITLE,
                reference.repository().substring(reference.repository().lastIndexOf('/') + 1) + ".wasm");
    }
}
