package dev.wasmbpf.runtime;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keeps the JVM bytecode Chicory compiles a module to, keyed by the module's digest, so that a second start
 * of the same module skips compilation. Entries live in a directory per Chicory version, since the stored
 * form is Chicory's own. Writes are atomic (temp file, then rename): concurrent starts can't see half a file.
 * A cache that can't be read or written is skipped, never fatal.
 */
public final class CompiledModuleCache implements Cache {
    private static final String CHICORY_VERSION = chicoryVersion();

    private final Path directory;

    /**
     * A cache under {@code root}.
     *
     * @param root the cache's root directory, e.g. {@link #defaultRoot()}
     */
    public CompiledModuleCache(Path root) {
        this.directory = root.resolve("compiled").resolve("chicory-" + CHICORY_VERSION);
    }

    /**
     * The default root.
     *
     * @return {@code $XDG_CACHE_HOME/wasm-bpf}, else {@code ~/.cache/wasm-bpf}
     */
    public static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("wasm-bpf");
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(entry(key));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void putIfAbsent(String key, byte[] data) {
        Path entry = entry(key);
        if (Files.exists(entry)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".entry", ".tmp");
            Files.write(temp, data);
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // A read-only or full disk only costs the next start a compilation.
        }
    }

    /** Whether an entry for {@code key} (a module digest) exists; says nothing of whether it can be loaded. */
    boolean holds(String key) {
        return Files.isRegularFile(entry(key));
    }

    /** Drops an entry that could not be used. */
    void evict(String key) {
        try {
            Files.deleteIfExists(entry(key));
        } catch (IOException e) {
            // the next store replaces it
        }
    }

    /** The file an entry lives in. */
    Path entry(String key) {
        return directory.resolve(sha256(key) + ".bin");
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Chicory's jar carries no Implementation-Version; its Maven metadata does. */
    private static String chicoryVersion() {
        // Through the class loader: from a named module, Class.getResourceAsStream would look in this module only.
        try (var in = Cache.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/com.dylibso.chicory/compiler/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
