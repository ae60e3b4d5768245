package dev.wasmbpf.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.oci.testing.BundledExamples;
import dev.wasmbpf.oci.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull against a real registry (docker-registry on 127.0.0.1, plain HTTP). */
class RegistryRoundTripTest {
    private static final RegistryAccess PLAIN_HTTP = new RegistryAccess(true, Optional.empty());

    @RegisterExtension
    static final LocalRegistry.PerClass registry = new LocalRegistry.PerClass();

    @TempDir
    Path temp;

    private ModuleReference ref(String repositoryAndTag) throws OciException {
        return ModuleReference.parse(registry.host() + "/" + repositoryAndTag);
    }

    @Test
    void pushedModuleComesBackByteForByteByTagAndByDigestThenFromTheCache() throws Exception {
        Path module = BundledExamples.file("bootstrap", temp);
        PushedModule pushed = new ModulePusher(PLAIN_HTTP)
                .push(
                        ref("examples/bootstrap:v1"),
                        module,
                        Map.of(WasmArtifact.SOURCE, "https://example.org/wasm-bpf"));
        assertEquals(Digests.sha256(Files.readAllBytes(module)), pushed.layerDigest());

        ModuleCache cache = new ModuleCache(temp.resolve("cache"));
        PulledModule byTag = new ModulePuller(PLAIN_HTTP, cache).pull(ref("examples/bootstrap:v1"));
        assertArrayEquals(Files.readAllBytes(module), byTag.bytes());
        assertFalse(byTag.fromCache());
        assertEquals(pushed.manifestDigest(), byTag.manifestDigest());
        assertEquals(cache.pathOf(pushed.layerDigest()), byTag.cachedAt());
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(byTag.cachedAt()));

        PulledModule byDigest = new ModulePuller(PLAIN_HTTP, cache).pull(pushed.pinned());
        assertTrue(byDigest.fromCache());
        assertArrayEquals(Files.readAllBytes(module), byDigest.bytes());

        Map<String, String> annotations = byTag.annotations();
        assertEquals("bootstrap.wasm", annotations.get(WasmArtifact.TITLE));
        assertEquals("https://example.org/wasm-bpf", annotations.get(WasmArtifact.SOURCE));
        assertEquals(
                "handle_exec:tp/sched/sched_process_exec,handle_exit:tp/sched/sched_process_exit",
                annotations.get(WasmArtifact.BPF_PROGRAMS));
        assertTrue(annotations.get(WasmArtifact.BPF_MAPS).contains("rb:ringbuf"), annotations.toString());
        assertEquals("5.8", annotations.get(WasmArtifact.KERNEL_MIN));
    }

    @Test
    void aFixedCreationTimeMakesPushesReproducible() throws Exception {
        Path module = BundledExamples.file("bootstrap", temp);
        Map<String, String> fixed = Map.of(WasmArtifact.CREATED, "2026-01-31T12:00:00Z");
        PushedModule first = new ModulePusher(PLAIN_HTTP).push(ref("repro/bootstrap:a"), module, fixed);
        PushedModule second = new ModulePusher(PLAIN_HTTP).push(ref("repro/bootstrap:b"), module, fixed);
        assertEquals(first.manifestDigest(), second.manifestDigest());
        OciException bad = assertThrows(
                OciException.class,
                () -> new ModulePusher(PLAIN_HTTP)
                        .push(ref("repro/bootstrap:c"), module, Map.of(WasmArtifact.CREATED, "yesterday")));
        assertTrue(bad.getMessage().contains("is not an RFC 3339 time"), bad.getMessage());
    }

    @Test
    void theManifestFollowsTheWasmOciArtifactLayout() throws Exception {
        PushedModule pushed = new ModulePusher(PLAIN_HTTP)
                .push(ref("layout/bootstrap:v1"), BundledExamples.file("bootstrap", temp), Map.of());
        String manifest = get("/v2/layout/bootstrap/manifests/v1", WasmArtifact.MANIFEST_MEDIA_TYPE);
        assertEquals(
                pushed.manifestDigest(), Digests.sha256(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(manifest.contains("\"mediaType\":\"" + WasmArtifact.MANIFEST_MEDIA_TYPE + "\""), manifest);
        assertTrue(manifest.contains("\"mediaType\":\"" + WasmArtifact.CONFIG_MEDIA_TYPE + "\""), manifest);
        assertTrue(manifest.contains("\"mediaType\":\"" + WasmArtifact.LAYER_MEDIA_TYPE + "\""), manifest);
        // Descriptors point at blobs; the module is not inlined as base64 "data".
        assertFalse(manifest.contains("\"data\""), manifest.substring(0, Math.min(2000, manifest.length())));
        assertTrue(manifest.length() < 4096, "manifest of " + manifest.length() + " bytes");

        String configDigest =
                manifest.replaceAll("(?s).*\"config\":\\{[^}]*\"digest\":\"(sha256:[0-9a-f]{64})\".*", "$1");
        String config = get("/v2/layout/bootstrap/blobs/" + configDigest, "*/*");
        assertTrue(config.contains("\"architecture\":\"wasm\""), config);
        assertTrue(config.contains("\"os\":\"wasip1\""), config);
        assertTrue(config.contains("\"layerDigests\":[\"" + pushed.layerDigest() + "\"]"), config);
    }

    @Test
    void aTamperedLayerIsRefusedWithADigestMismatch() throws Exception {
        // Registries store a blob once per digest: tamper with a module no other test pushes.
        Path unique = Files.write(
                temp.resolve("unique.wasm"),
                BundledExamples.withCustomSection(BundledExamples.bytes("bootstrap"), "tamper-" + System.nanoTime()));
        PushedModule pushed = new ModulePusher(PLAIN_HTTP).push(ref("tamper/bootstrap:v1"), unique, Map.of());
        Path stored = registry.blobData(pushed.layerDigest());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x55; // same size, different content: only the digest can tell
        Files.write(stored, bytes);

        ModuleCache cache = new ModuleCache(temp.resolve("cache"));
        DigestMismatchException e = assertThrows(
                DigestMismatchException.class,
                () -> new ModulePuller(PLAIN_HTTP, cache).pull(ref("tamper/bootstrap:v1")));
        assertTrue(
                e.getMessage()
                        .startsWith("digest mismatch for the module layer of " + registry.host()
                                + "/tamper/bootstrap:v1: expected " + pushed.layerDigest() + ", got sha256:"),
                e.getMessage());
        assertFalse(Files.exists(cache.pathOf(pushed.layerDigest())), "a tampered layer must not be cached");
    }

    @Test
    void aCorruptedCacheEntryIsFetchedAgainNotUsed() throws Exception {
        Path module = Files.write(
                temp.resolve("cached.wasm"),
                BundledExamples.withCustomSection(BundledExamples.bytes("bootstrap"), "cache-" + System.nanoTime()));
        new ModulePusher(PLAIN_HTTP).push(ref("cache/bootstrap:v1"), module, Map.of());
        ModuleCache cache = new ModuleCache(temp.resolve("cache"));
        PulledModule first = new ModulePuller(PLAIN_HTTP, cache).pull(ref("cache/bootstrap:v1"));
        Files.write(first.cachedAt(), "garbage".getBytes());

        PulledModule second = new ModulePuller(PLAIN_HTTP, cache).pull(ref("cache/bootstrap:v1"));
        assertFalse(second.fromCache());
        assertArrayEquals(Files.readAllBytes(module), second.bytes());
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(second.cachedAt()));
    }

    @Test
    void anArtifactWithoutAWasmLayerIsRefused() throws Exception {
        // Another kind of artifact in the same registry: one text/plain layer, pushed with ORAS directly.
        ModuleReference ref = ref("other/notes:v1");
        land.oras.Registry oras = PLAIN_HTTP.registry();
        land.oras.Layer text =
                oras.pushBlob(ref.containerRef(), "just notes".getBytes()).withMediaType("text/plain");
        land.oras.Layer config = oras.pushBlob(ref.containerRef(), "{}".getBytes());
        oras.pushManifest(
                ref.containerRef(),
                land.oras.Manifest.empty()
                        .withConfig(land.oras.Config.fromBlob("application/vnd.example.notes.config+json", config))
                        .withLayers(java.util.List.of(text)));

        OciException e = assertThrows(
                OciException.class,
                () -> new ModulePuller(PLAIN_HTTP, new ModuleCache(temp.resolve("cache"))).pull(ref));
        assertEquals(
                ref
                        + " is not a Wasm module artifact: no application/wasm layer (config media type application/vnd.example.notes.config+json, 1 layer(s))",
                e.getMessage());
    }

    @Test
    void anImageIndexResolvesToItsOnlyEntryOrItsWasmEntry() throws Exception {
        Path file = BundledExamples.file("bootstrap", temp);
        PushedModule module = new ModulePusher(PLAIN_HTTP).push(ref("indexed/bootstrap:v1"), file, Map.of());
        land.oras.Registry oras = PLAIN_HTTP.registry();
        land.oras.Manifest manifest = oras.getManifest(module.pinned().containerRef());
        ModuleCache cache = new ModuleCache(temp.resolve("cache"));

        ModuleReference single = ref("indexed/bootstrap:single");
        oras.pushIndex(single.containerRef(), land.oras.Index.fromManifests(java.util.List.of(entry(manifest))));
        PulledModule viaIndex = new ModulePuller(PLAIN_HTTP, cache).pull(single);
        assertArrayEquals(Files.readAllBytes(file), viaIndex.bytes());
        assertEquals(module.manifestDigest(), viaIndex.manifestDigest());

        // Two entries, neither for platform wasm: which one is meant cannot be guessed.
        PushedModule other = new ModulePusher(PLAIN_HTTP)
                .push(
                        ref("indexed/bootstrap:other"),
                        Files.write(
                                temp.resolve("other.wasm"),
                                BundledExamples.withCustomSection(BundledExamples.bytes("bootstrap"), "other")),
                        Map.of());
        ModuleReference ambiguous = ref("indexed/bootstrap:ambiguous");
        oras.pushIndex(
                ambiguous.containerRef(),
                land.oras.Index.fromManifests(java.util.List.of(
                        entry(manifest), entry(oras.getManifest(other.pinned().containerRef())))));
        OciException e = assertThrows(OciException.class, () -> new ModulePuller(PLAIN_HTTP, cache).pull(ambiguous));
        assertEquals(
                ambiguous
                        + " is an image index with 2 manifests and 0 for platform wasm; name the module's manifest by digest (REF@sha256:...)",
                e.getMessage());

        // Two entries, one for platform wasm: that one.
        ModuleReference withPlatforms = ref("indexed/bootstrap:platforms");
        oras.pushIndex(
                withPlatforms.containerRef(),
                land.oras.Index.fromManifests(java.util.List.of(
                        entry(oras.getManifest(other.pinned().containerRef()))
                                .withPlatform(land.oras.Platform.linuxAmd64()),
                        entry(manifest).withPlatform(land.oras.Platform.of("wasip1", "wasm")))));
        assertEquals(
                module.manifestDigest(),
                new ModulePuller(PLAIN_HTTP, cache).pull(withPlatforms).manifestDigest());
    }

    /** An index entry for a pushed manifest, digest and size from its bytes as served. */
    private static land.oras.ManifestDescriptor entry(land.oras.Manifest manifest) {
        byte[] json = manifest.getJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return land.oras.ManifestDescriptor.of(WasmArtifact.MANIFEST_MEDIA_TYPE, Digests.sha256(json), json.length);
    }

    @Test
    void aMissingTagOrRepositoryIsNotFound() throws Exception {
        new ModulePusher(PLAIN_HTTP)
                .push(ref("present/bootstrap:v1"), BundledExamples.file("bootstrap", temp), Map.of());
        ModuleCache cache = new ModuleCache(temp.resolve("cache"));
        OciException tag = assertThrows(
                OciException.class, () -> new ModulePuller(PLAIN_HTTP, cache).pull(ref("present/bootstrap:nope")));
        assertTrue(
                tag.getMessage().startsWith("not found: " + registry.host() + "/present/bootstrap:nope"),
                tag.getMessage());
        OciException repo = assertThrows(
                OciException.class, () -> new ModulePuller(PLAIN_HTTP, cache).pull(ref("absent/thing:v1")));
        assertTrue(
                repo.getMessage().startsWith("not found: " + registry.host() + "/absent/thing:v1"), repo.getMessage());
    }

    @Test
    void aDigestReferenceToAnotherManifestIsNotFound() throws Exception {
        new ModulePusher(PLAIN_HTTP)
                .push(ref("pinned/bootstrap:v1"), BundledExamples.file("bootstrap", temp), Map.of());
        ModuleCache cache = new ModuleCache(temp.resolve("cache"));
        OciException e = assertThrows(
                OciException.class,
                () -> new ModulePuller(PLAIN_HTTP, cache).pull(ref("pinned/bootstrap@sha256:" + "0".repeat(64))));
        assertTrue(e.getMessage().startsWith("not found: "), e.getMessage());
    }

    @Test
    void nothingListensIsOneLine() throws Exception {
        ModuleCache cache = new ModuleCache(temp.resolve("cache"));
        OciException e = assertThrows(
                OciException.class,
                () -> new ModulePuller(PLAIN_HTTP, cache).pull(ModuleReference.parse("127.0.0.1:1/nothing:v1")));
        assertTrue(e.getMessage().startsWith("cannot pull 127.0.0.1:1/nothing:v1: connection refused"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static String get(String path, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
                .header("Accept", accept)
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
