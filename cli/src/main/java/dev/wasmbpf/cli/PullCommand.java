package dev.wasmbpf.cli;

import dev.wasmbpf.oci.ModuleCache;
import dev.wasmbpf.oci.ModulePuller;
import dev.wasmbpf.oci.ModuleReference;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.PulledModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasm-bpf pull REF [-o FILE]}: fetches a module, verified against its digest, into the cache. */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Pulls a module from an OCI registry into the local cache.",
            "%nResolves a tag or digest, checks the layer's sha256 against the manifest and keeps the module under"
                    + " ~/.cache/wasm-bpf/oci (or $WASM_BPF_CACHE). Prints the path of the module on stdout."
        })
final class PullCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Also copy the module to FILE.")
    Path output;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print Java stack traces on errors.")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "REF", description = "REGISTRY/REPOSITORY[:TAG|@sha256:DIGEST].")
    String reference;

    @Override
    public Integer call() {
        try {
            PulledModule pulled = new ModulePuller(registry.access(System.in), ModuleCache.atDefaultLocation())
                    .pull(ModuleReference.parse(reference));
            Path result = pulled.cachedAt();
            if (output != null) {
                try {
                    Files.write(output, pulled.bytes());
                } catch (IOException e) {
                    throw new OciException("cannot write " + output + ": " + e.getMessage(), e);
                }
                result = output;
            }
            System.err.println("pulled " + pulled.reference() + "@" + pulled.manifestDigest() + " (layer "
                    + pulled.layerDigest() + (pulled.fromCache() ? ", from cache" : "") + ")");
            System.out.println(result);
            return 0;
        } catch (OciException e) {
            return new Diagnostics(verbose).fail(e.getMessage(), e, 1);
        }
    }
}
