package dev.wasmbpf.cli;

import dev.wasmbpf.oci.ModulePusher;
import dev.wasmbpf.oci.ModuleReference;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.PushedModule;
import dev.wasmbpf.oci.WasmArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasm-bpf push REF MODULE}: publishes a module as a Wasm OCI artifact. */
@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Pushes a module to an OCI registry as a Wasm OCI artifact.",
            "%nThe artifact has a config of media type application/vnd.wasm.config.v0+json and one application/wasm"
                    + " layer, and is annotated with the BPF programs, maps and kernel features the module embeds."
                    + " Prints the pinned reference (REF@sha256:...) on stdout."
        })
final class PushCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @Option(
            names = {"-a", "--annotation"},
            paramLabel = "KEY=VALUE",
            description = "Add a manifest annotation (repeatable); overrides a derived one.")
    Map<String, String> annotations = new LinkedHashMap<>();

    @Option(
            names = "--source",
            paramLabel = "URL",
            description = "Where the module's source lives (org.opencontainers.image.source).")
    String source;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print Java stack traces on errors.")
    boolean verbose;

    @Parameters(
            index = "0",
            paramLabel = "REF",
            description = "REGISTRY/REPOSITORY[:TAG], e.g. localhost:5000/bootstrap:v1.")
    String reference;

    @Parameters(
            index = "1",
            paramLabel = "MODULE",
            description = "The .wasm file to push, or the name of a bundled example.")
    String module;

    @Override
    public Integer call() {
        try {
            ModuleReference ref = ModuleReference.parse(reference);
            Map<String, String> extra = new LinkedHashMap<>();
            if (source != null) {
                extra.put(WasmArtifact.SOURCE, source);
            }
            extra.putAll(annotations);
            ModulePusher pusher = new ModulePusher(registry.access(System.in));
            Path file = Path.of(module);
            PushedModule pushed;
            if (Files.exists(file) || module.endsWith(".wasm") || module.contains("/")) {
                pushed = pusher.push(ref, file, extra);
            } else {
                ModuleLocator.Located example = ModuleLocator.locate(module, registry);
                pushed = pusher.push(ref, module + ".wasm", example.bytes(), extra);
            }
            System.err.println(
                    "pushed " + module + " (" + pushed.layerSize() + " bytes, layer " + pushed.layerDigest() + ")");
            System.out.println(pushed.pinned());
            return 0;
        } catch (OciException e) {
            return new Diagnostics(verbose).fail(e.getMessage(), e, 1);
        }
    }
}
