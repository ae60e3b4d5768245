package dev.wasmbpf.cli;

import dev.wasmbpf.oci.ModuleCache;
import dev.wasmbpf.oci.ModulePuller;
import dev.wasmbpf.oci.ModuleReference;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.PulledModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/**
 * {@code wasm-bpf run [registry options] [wasm-bpf options] REF|MODULE [guest args…]}: pulls the module
 * when given a reference, then runs it exactly as {@code wasm-bpf [wasm-bpf options] FILE [guest args…]}
 * would — the same command object parses and executes the rest of the line.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        customSynopsis = {
            "wasm-bpf run [REGISTRY OPTIONS] [WASM-BPF OPTIONS] REF|MODULE [ARG...]",
            "wasm-bpf run -d [--name NAME] [--restart POLICY] [-H unix:///SOCKET] [WASM-BPF OPTIONS] REF|MODULE [ARG...]"
        },
        description = {
            "Runs a module from an OCI registry, or a local file.",
            "%nA reference is pulled and verified as by 'pull' (cached by digest). Registry options come first, then"
                    + " any option of plain 'wasm-bpf' (--env, --dir, --allow-attach, ...), then the reference or file, then"
                    + " the guest's arguments, passed untouched. An existing file wins over a reference spelled the same.",
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the module returned 0, or was stopped by SIGINT/SIGTERM",
            "N:the module returned N or called proc_exit(N)",
            "1:the module trapped",
            "2:the module could not be pulled, loaded or linked, or bad usage"
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @picocli.CommandLine.Option(
            names = {"-d", "--detach"},
            description = "Run the module in the wasm-bpf daemon (see 'wasm-bpf daemon') and print its id.")
    boolean detach;

    @picocli.CommandLine.Option(
            names = "--name",
            paramLabel = "NAME",
            description = "With -d: the module's name in the daemon.")
    String name;

    @picocli.CommandLine.Option(
            names = "--restart",
            paramLabel = "no|on-failure|always",
            description = "With -d: the module's restart policy.")
    String restart;

    @picocli.CommandLine.Option(
            names = {"-H", "--host"},
            paramLabel = "unix:///PATH|tcp://HOST:PORT",
            description =
                    "With -d: the daemon, its socket or tcp://HOST:PORT with the token in $" + DaemonClient.TOKEN_ENV
                            + " (default: $" + DaemonClient.HOST_ENV + ", else " + DaemonClient.DEFAULT_HOST + ").")
    String host;

    @Parameters(
            arity = "1..*",
            paramLabel = "[WASM-BPF OPTIONS] REF|MODULE [ARG]",
            description = "Options of 'wasm-bpf', the reference or file, and the guest's arguments.")
    List<String> line = new ArrayList<>();

    /** A command line for this command: options it does not know, and everything after REF, go to 'wasm-bpf'. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RunCommand());
        commandLine.setStopAtPositional(true);
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        return commandLine;
    }

    @Override
    public Integer call() {
        if (detach) {
            if (registry.plainHttp || registry.username != null) {
                System.err.println(
                        "wasm-bpf: registry options are the daemon's with --detach (wasm-bpf daemon --insecure-registry)");
                return WasmBpfCommand.EXIT_LOAD_FAILURE;
            }
            return new DetachedRun(host, line, name, restart).call();
        }
        if (name != null || restart != null || host != null) {
            System.err.println("wasm-bpf: --name, --restart and --host need --detach");
            return WasmBpfCommand.EXIT_LOAD_FAILURE;
        }
        CommandLine runner = Main.moduleRunner();
        List<String> args = new ArrayList<>(line);
        int moduleIndex = moduleIndex(args);
        if (moduleIndex >= 0) {
            String given = args.get(moduleIndex);
            if (!Files.exists(Path.of(given)) && ModuleReference.looksLikeReference(given)) {
                try {
                    PulledModule pulled = new ModulePuller(registry.access(System.in), ModuleCache.atDefaultLocation())
                            .pull(ModuleReference.parse(given));
                    args.set(moduleIndex, pulled.cachedAt().toString());
                } catch (OciException e) {
                    return new Diagnostics(args.contains("-v") || args.contains("--verbose"))
                            .fail(e.getMessage(), e, WasmBpfCommand.EXIT_LOAD_FAILURE);
                }
            }
        }
        return runner.execute(args.toArray(String[]::new));
    }

    /**
     * Where the module sits in {@code args}, found by letting wasm-bpf's own parser read them: its
     * first positional, followed by the guest arguments. -1 when they do not parse (wasm-bpf then
     * reports the usage error itself).
     */
    private static int moduleIndex(List<String> args) {
        try {
            ParseResult parsed = Main.moduleRunner().parseArgs(args.toArray(String[]::new));
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested() || !parsed.hasMatchedPositional(0)) {
                return -1;
            }
            List<String> guestArgs = parsed.matchedPositionalValue(1, List.of());
            return args.size() - guestArgs.size() - 1;
        } catch (ParameterException e) {
            return -1;
        }
    }
}
