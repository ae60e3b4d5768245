package dev.wasmbpf.oci;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Pulled modules kept by content digest, laid out like an OCI image layout's blob store:
 * {@code ROOT/blobs/sha256/<hex>}. Entries are written to a temporary file and renamed, so a
 * reader never sees half a module; they are checked against their digest on every read, so a
 * corrupted entry is fetched again rather than run.
 */
public final class ModuleCache {
    public static final String ENV = "WASM_BPF_CACHE";
    public static final String PROPERTY = "wasmbpf.oci.cache";

    private final Path root;

    public ModuleCache(Path root) {
        this.root = root;
    }

    /**
     * $WASM_BPF_CACHE, else the system property wasmbpf.oci.cache, else
     * $XDG_CACHE_HOME/wasm-bpf/oci, else ~/.cache/wasm-bpf/oci.
     */
    public static ModuleCache atDefaultLocation() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new ModuleCache(Path.of(env));
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return new ModuleCache(Path.of(property));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ModuleCache(base.resolve("wasm-bpf").resolve("oci"));
    }

    public Path root() {
        return root;
    }

    public Path pathOf(String digest) {
        return root.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
    }

    /** The cached bytes if present and still matching their digest. */
    public Optional<byte[]> read(String digest) throws OciException {
        Path path = pathOf(digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new OciException("cannot read cache entry " + path + ": " + e.getMessage(), e);
        }
        return Digests.sha256(bytes).equals(digest) ? Optional.of(bytes) : Optional.empty();
    }

    /** Stores verified bytes; callers check the digest first. */
    public Path write(String digest, byte[] bytes) throws OciException {
        Path path = pathOf(digest);
        try {
            Files.createDirectories(path.getParent());
            Path temp = Files.createTempFile(path.getParent(), ".incoming-", ".tmp");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return path;
        } catch (IOException e) {
            throw new OciException("cannot write cache entry " + path + ": " + e.getMessage(), e);
        }
    }
}
