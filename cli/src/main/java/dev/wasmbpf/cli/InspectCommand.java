package dev.wasmbpf.cli;

import dev.wasmbpf.oci.Digests;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.inspect.EmbeddedBpfObject;
import dev.wasmbpf.oci.inspect.HostKernel;
import dev.wasmbpf.oci.inspect.KernelRequirement;
import dev.wasmbpf.oci.inspect.ModuleInspection;
import dev.wasmbpf.oci.inspect.WasmImport;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasm-bpf inspect REF|MODULE}: what a module needs, read without running it. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Shows what a module imports, embeds and needs from the kernel.",
            "%nLists the Wasm imports, the BPF programs and maps embedded in the module with their types, and the"
                    + " kernel features they need. Takes a .wasm file, a registry reference (pulled as by 'pull') or a"
                    + " bundled example name."
        })
final class InspectCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print Java stack traces on errors.")
    boolean verbose;

    @Parameters(
            index = "0",
            paramLabel = "REF|MODULE|NAME",
            description =
                    "A .wasm file, a registry reference or a bundled example name; else the id or name of a module the daemon runs.")
    String module;

    @Option(
            names = {"-H", "--host"},
            paramLabel = "unix:///PATH|tcp://HOST:PORT",
            description =
                    "Inspect the module of that id or name in the daemon at this socket (also without --host when MODULE is no file, reference or example).")
    String host;

    @Override
    public Integer call() {
        if (host != null || !isLocalModule(module)) {
            return new Running(host, module).call();
        }
        try {
            ModuleLocator.Located located = ModuleLocator.locate(module, registry);
            ModuleInspection inspection = ModuleInspection.of(located.name(), located.bytes());
            print(System.out, located, inspection);
            return 0;
        } catch (OciException e) {
            return new Diagnostics(verbose).fail(e.getMessage(), e, 1);
        }
    }

    /**
     * Whether {@code given} names a module here: a file, anything shaped like a path or a reference, a bundled
     * example. Only a plain daemon module name or id (no {@code /}, no {@code .wasm}) that is none of these is asked
     * of the daemon, so that a missing file is still reported as one.
     */
    private static boolean isLocalModule(String given) {
        return given.contains("/")
                || given.endsWith(".wasm")
                || !given.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")
                || java.nio.file.Files.exists(java.nio.file.Path.of(given))
                || InspectCommand.class.getClassLoader().getResource(ModuleSource.EXAMPLES + given + ".wasm") != null;
    }

    /** {@code inspect NAME} of a module the daemon runs: its JSON, as {@code GET /v1/modules/NAME} answers. */
    private static final class Running extends DaemonCommand {
        private final String module;

        Running(String host, String module) {
            this.host = host;
            this.module = module;
        }

        @Override
        int run(DaemonClient daemon) throws java.io.IOException, Refused {
            Object json = check(daemon.get("/v1/modules/" + segment(module))).json();
            System.out.println(ClientJson.writePretty(json));
            return 0;
        }
    }

    private static void print(PrintStream out, ModuleLocator.Located located, ModuleInspection inspection) {
        out.println("Module: " + located.name() + " (" + located.bytes().length + " bytes, "
                + Digests.sha256(located.bytes()) + ")");
        located.pulled().ifPresent(pulled -> {
            out.println("Manifest: " + pulled.reference() + "@" + pulled.manifestDigest());
            out.println("Annotations:");
            for (Map.Entry<String, String> annotation : pulled.annotations().entrySet()) {
                out.println("  " + annotation.getKey() + "=" + annotation.getValue());
            }
        });
        out.println("Imports:");
        for (WasmImport imported : inspection.imports()) {
            out.println("  " + imported);
        }
        out.println("BPF objects: " + inspection.objects().size());
        int n = 0;
        for (EmbeddedBpfObject object : inspection.objects()) {
            n++;
            out.printf(
                    "  #%d at data offset 0x%x, %d bytes, license \"%s\", %s%s%n",
                    n,
                    object.memoryOffset(),
                    object.size(),
                    object.license(),
                    object.hasBtf() ? "BTF" : "no BTF",
                    object.coreRelocations() > 0 ? ", " + object.coreRelocations() + " CO-RE relocations" : "");
            for (EmbeddedBpfObject.Program program : object.programs()) {
                out.printf("    program %-24s %-40s %s%n", program.name(), program.section(), program.typeName());
            }
            for (EmbeddedBpfObject.Map map : object.maps()) {
                out.printf(
                        "    map     %-24s %-40s%s%n",
                        map.name(), map.typeName(), map.maxEntries() > 0 ? " max_entries " + map.maxEntries() : "");
            }
        }
        HostKernel host = HostKernel.current();
        out.println("Kernel requirements"
                + inspection.minimumKernel().map(v -> " (Linux >= " + v + ")").orElse("")
                + host.version().map(v -> ", checked against this kernel, " + v).orElse("") + ":");
        if (inspection.requirements().isEmpty()) {
            out.println("  none found (no embedded BPF object)");
        }
        for (KernelRequirement requirement : inspection.requirements()) {
            String verdict = switch (host.check(requirement)) {
                case MET -> "[ok]     ";
                case NOT_MET -> "[missing]";
                case UNKNOWN -> "[?]      ";
            };
            out.println("  " + verdict + " " + requirement);
        }
    }
}
