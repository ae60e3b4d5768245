package dev.wasmbpf.cli;

import dev.wasmbpf.oci.ModuleCache;
import dev.wasmbpf.oci.ModulePuller;
import dev.wasmbpf.oci.ModuleReference;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.PulledModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bytes of a module named on the command line: an existing file first, then a registry
 * reference, then a bundled example. A file wins over a reference of the same spelling.
 */
final class ModuleLocator {
    record Located(String name, byte[] bytes, Optional<PulledModule> pulled) {}

    private ModuleLocator() {}

    static Located locate(String given, RegistryOptions registry) throws OciException {
        Path path = Path.of(given);
        if (Files.isRegularFile(path)) {
            try {
                if (Files.size(path) > dev.wasmbpf.oci.WasmArtifact.MAX_MODULE_SIZE) {
                    throw new OciException(
                            given + " is larger than " + dev.wasmbpf.oci.WasmArtifact.MAX_MODULE_SIZE + " bytes");
                }
                return new Located(given, Files.readAllBytes(path), Optional.empty());
            } catch (IOException e) {
                throw new OciException("cannot read " + given + ": " + e.getMessage(), e);
            }
        }
        if (ModuleReference.looksLikeReference(given)) {
            PulledModule pulled = new ModulePuller(registry.access(System.in), ModuleCache.atDefaultLocation())
                    .pull(ModuleReference.parse(given));
            return new Located(given, pulled.bytes(), Optional.of(pulled));
        }
        if (given.matches("[A-Za-z0-9_-]+")) {
            try (InputStream in =
                    ModuleLocator.class.getClassLoader().getResourceAsStream(ModuleSource.EXAMPLES + given + ".wasm")) {
                if (in != null) {
                    return new Located(given + " (bundled example)", in.readAllBytes(), Optional.empty());
                }
            } catch (IOException e) {
                throw new OciException("cannot read bundled example " + given + ": " + e.getMessage(), e);
            }
        }
        throw new OciException("no module file " + given
                + ", and it is neither a registry reference (REGISTRY/REPOSITORY[:TAG]) nor a bundled example");
    }
}
