package dev.wasmbpf.oci;

/**
 * How a wasm-bpf module is laid out in a registry: the CNCF TAG Runtime "Wasm OCI Artifact layout"
 * (an OCI image manifest whose config has media type {@value #CONFIG_MEDIA_TYPE} and whose single
 * layer is the module, {@value #LAYER_MEDIA_TYPE}), plus our annotations describing the BPF side.
 */
public final class WasmArtifact {
    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.wasm.config.v0+json";
    public static final String LAYER_MEDIA_TYPE = "application/wasm";

    public static final String TITLE = "org.opencontainers.image.title";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String DESCRIPTION = "org.opencontainers.image.description";

    /** Our own keys, reverse-DNS as the OCI annotation rules ask. Values are comma-separated lists. */
    public static final String BPF_PROGRAMS = "dev.wasmbpf.bpf.programs";

    public static final String BPF_PROGRAM_TYPES = "dev.wasmbpf.bpf.program-types";
    public static final String BPF_MAPS = "dev.wasmbpf.bpf.maps";
    public static final String IMPORT_MODULES = "dev.wasmbpf.wasm.import-modules";
    public static final String KERNEL_MIN = "dev.wasmbpf.kernel.min-version";
    public static final String KERNEL_FEATURES = "dev.wasmbpf.kernel.features";

    /** Modules are small; anything larger than this in a registry is refused before download. */
    public static final long MAX_MODULE_SIZE = 256L << 20;

    private WasmArtifact() {}
}
