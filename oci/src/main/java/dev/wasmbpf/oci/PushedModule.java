package dev.wasmbpf.oci;

import java.util.Map;

/** What a push stored: the manifest (by digest, so it can be pulled immutably) and the module layer. */
public record PushedModule(
        ModuleReference reference,
        String manifestDigest,
        String layerDigest,
        long layerSize,
        Map<String, String> annotations) {
    /** {@code registry/repository@sha256:…}, the reference that always means these bytes. */
    public ModuleReference pinned() {
        return reference.withDigest(manifestDigest);
    }
}
