package dev.wasmbpf.daemon;

import dev.wasmbpf.oci.DigestMismatchException;
import dev.wasmbpf.oci.Digests;
import dev.wasmbpf.oci.ModuleCache;
import dev.wasmbpf.oci.ModulePuller;
import dev.wasmbpf.oci.ModuleReference;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.PulledModule;
import dev.wasmbpf.oci.RegistryAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a module's bytes come from, as the {@code source} field of a create request names it:
 * <ul>
 *   <li>{@code bootstrap} — a bundled example;</li>
 *   <li>{@code /abs/path/m.wasm} — a file, only under a {@code --module-path} root (after resolving {@code ..} and
 *       symbolic links: a link out of the roots is refused like a path outside them, 403);</li>
 *   <li>{@code registry.example:5000/repo:tag} or {@code …@sha256:…} — pulled and digest-checked by {@code oci/}
 *       (plain HTTP only for hosts given with {@code --insecure-registry});</li>
 *   <li>{@code upload:sha256:…} — bytes sent before with {@code POST /v1/uploads}.</li>
 * </ul>
 * Every refusal is an {@link ApiException} naming {@code source}.
 */
final class ModuleSources {
    /**
     * What a source resolved to.
     *
     * @param digest the SHA-256 of {@code bytes}: computed here from them, or (OCI) the layer digest the puller
     *     checked them against
     * @param bytes the module; never written to (a bundled example's array is shared by every start of it)
     */
    record Resolved(String kind, String source, String digest, byte[] bytes) {}

    private static final Pattern EXAMPLE = Pattern.compile("[a-z0-9_-]+");
    /** Uploads kept, oldest dropped first: a module started from one keeps its own copy of the bytes. */
    static final int UPLOADS_KEPT = 8;
    /** And at most this many bytes of them (the newest upload is always kept). */
    static final long UPLOAD_BYTES_KEPT = 64L << 20;

    private final List<Path> roots;
    private final Set<String> insecureRegistries;
    private final ModuleCache cache;
    private final Map<String, byte[]> uploads = new LinkedHashMap<>();
    /**
     * Bundled examples read so far, by name: they cannot change while the daemon runs (they are in its jar), so each
     * is read, inflated and hashed once rather than on every start (~2 ms of a warm deploy, docs/benchmarks.md).
     * Bounded by the examples the jar holds: an unknown name is not kept.
     */
    private final Map<String, Resolved> examples = new java.util.concurrent.ConcurrentHashMap<>();

    ModuleSources(List<Path> roots, Set<String> insecureRegistries, ModuleCache cache) {
        this.roots = roots.stream().map(ModuleSources::realRoot).toList();
        this.insecureRegistries = Set.copyOf(insecureRegistries);
        this.cache = cache;
    }

    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--module-path " + root + ": " + e.getMessage(), e);
        }
    }

    Resolved resolve(String source) {
        if (source == null || source.isBlank()) {
            throw ApiException.badRequest(
                    "source",
                    "source is required: an example name, an absolute path under --module-path,"
                            + " an OCI reference or upload:sha256:…");
        }
        if (source.startsWith("upload:")) {
            return upload(source);
        }
        if (source.startsWith("/")) {
            return file(source);
        }
        if (EXAMPLE.matcher(source).matches()) {
            return example(source);
        }
        if (source.contains("/")) {
            return pull(source);
        }
        throw ApiException.badRequest(
                "source", "not an example name, absolute path, OCI reference or upload: " + source);
    }

    private Resolved example(String name) {
        Resolved kept = examples.get(name);
        if (kept != null) {
            return kept;
        }
        Resolved read = readExample(name);
        examples.putIfAbsent(name, read);
        return read;
    }

    private static Resolved readExample(String name) {
        // Through the class loader, not Class.getResourceAsStream: on the module path (the tests) the latter looks only
        // inside this module, and the guests are the examples jar's.
        try (InputStream in =
                ModuleSources.class.getClassLoader().getResourceAsStream("dev/wasmbpf/examples/" + name + ".wasm")) {
            if (in == null) {
                throw ApiException.notFound("source", "no bundled example named " + name);
            }
            byte[] bytes = in.readAllBytes();
            return new Resolved("example", name, Digests.sha256(bytes), bytes);
        } catch (IOException e) {
            throw new ApiException(500, "source", "cannot read the bundled example " + name + ": " + e.getMessage(), e);
        }
    }

    private Resolved file(String given) {
        Path path;
        try {
            path = Path.of(given).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw ApiException.badRequest("source", "bad path " + given + ": " + e.getMessage());
        }
        // The lexical check first, so that a path outside the roots is refused the same way whether it exists or not.
        if (!underARoot(path)) {
            throw outside(given);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("source", "no such file: " + given);
        } catch (IOException e) {
            throw ApiException.badRequest("source", "cannot open " + given + ": " + e.getMessage());
        }
        if (!underARoot(real)) {
            throw outside(given + " (resolves to " + real + ")");
        }
        if (!Files.isRegularFile(real)) {
            throw ApiException.badRequest("source", "not a regular file: " + given);
        }
        try {
            long size = Files.size(real);
            if (size > dev.wasmbpf.oci.WasmArtifact.MAX_MODULE_SIZE) {
                throw ApiException.badRequest("source", given + " has " + size + " bytes, over the module limit");
            }
            byte[] bytes = Files.readAllBytes(real);
            return new Resolved("file", real.toString(), Digests.sha256(bytes), bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("source", "cannot read " + given + ": " + e.getMessage());
        }
    }

    private boolean underARoot(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    private ApiException outside(String what) {
        return new ApiException(
                403,
                "source",
                what + " is not under a --module-path root of the daemon"
                        + (roots.isEmpty() ? " (it has none: local files are refused)" : " " + roots));
    }

    private Resolved pull(String text) {
        ModuleReference reference;
        try {
            reference = ModuleReference.parse(text);
        } catch (OciException e) {
            throw ApiException.badRequest("source", e.getMessage());
        }
        RegistryAccess access = new RegistryAccess(insecureRegistries.contains(reference.registry()), Optional.empty());
        try {
            PulledModule pulled = new ModulePuller(access, cache).pull(reference);
            return new Resolved("oci", reference + "@" + pulled.manifestDigest(), pulled.layerDigest(), pulled.bytes());
        } catch (DigestMismatchException e) {
            throw new ApiException(502, "source", e.getMessage(), e);
        } catch (OciException e) {
            throw new ApiException(502, "source", e.getMessage(), e);
        } catch (RuntimeException e) {
            // ORAS reports some transport failures unchecked: still the registry's fault, not the daemon's.
            throw new ApiException(502, "source", "cannot pull " + reference + ": " + e.getMessage(), e);
        }
    }

    /** Keeps uploaded bytes under their digest; answers the source that names them. */
    synchronized String upload(byte[] bytes) {
        if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
            throw ApiException.badRequest("body", "not a WebAssembly module (no \\0asm header)");
        }
        String digest = Digests.sha256(bytes);
        uploads.remove(digest);
        uploads.put(digest, bytes);
        while (uploads.size() > 1
                && (uploads.size() > UPLOADS_KEPT
                        || uploads.values().stream().mapToLong(b -> b.length).sum() > UPLOAD_BYTES_KEPT)) {
            uploads.remove(uploads.keySet().iterator().next());
        }
        return "upload:" + digest;
    }

    private synchronized Resolved upload(String source) {
        String digest = source.substring("upload:".length());
        if (!Digests.isSha256(digest)) {
            throw ApiException.badRequest(
                    "source", "upload source must be upload:sha256:<64 hex digits>, not " + source);
        }
        byte[] bytes = uploads.get(digest);
        if (bytes == null) {
            throw ApiException.notFound(
                    "source",
                    "no upload " + digest + " (the daemon keeps the last " + UPLOADS_KEPT + ", at most "
                            + (UPLOAD_BYTES_KEPT >> 20) + " MiB)");
        }
        return new Resolved("upload", source, digest, bytes);
    }
}
