package dev.wasmbpf.cli;

import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.LibbpfUnavailableException;
import dev.wasmbpf.runtime.CompiledModuleCache;
import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.Preopen;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wasm-bpf [options] <module.wasm|example> [guest args…]}: runs a module. Everything after the
 * module goes to the guest untouched, options included.
 */
@Command(name = "wasm-bpf", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs a WebAssembly module that loads and drives eBPF programs (the wasm-bpf ABI) on the JVM.",
            "A bare name such as 'bootstrap' runs the bundled example of that name."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the module returned 0, or was stopped by SIGINT/SIGTERM",
            "N:the module returned N or called proc_exit(N) (masked to 0..255)",
            "1:the module trapped",
            "2:the module could not be loaded or linked, or bad usage"
        })
public final class WasmBpfCommand implements Callable<Integer> {
    static final int EXIT_LOAD_FAILURE = 2;

    @Option(names = {"-v", "--verbose"}, description = "Print libbpf's debug log and Java stack traces.")
    boolean verbose;

    @Option(names = {"-m", "--wrapper-module-name"}, paramLabel = "NAME",
            description = "Import module of the callback-style poll used by TinyGo guests (default: ${DEFAULT-VALUE}).")
    String wrapperModuleName = RunConfig.DEFAULT_WRAPPER_MODULE;

    @Option(names = {"-c", "--callback-export-name"}, paramLabel = "NAME",
            description = "Exported guest callback for that poll (default: ${DEFAULT-VALUE}).")
    String callbackExportName = RunConfig.DEFAULT_CALLBACK_EXPORT;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Set a guest environment variable (repeatable).")
    Map<String, String> env = new java.util.LinkedHashMap<>();

    @Option(names = "--dir", paramLabel = "HOST[::GUEST]", description = "Preopen a host directory for the guest (repeatable).")
    List<String> dirs = new ArrayList<>();

    @Option(names = "--allow-attach", paramLabel = "PATH",
            description = "Allow attach targets (cgroup directories, uprobe binaries) under PATH (repeatable; default: /sys/fs/cgroup for cgroups).")
    List<Path> allowAttach = new ArrayList<>();

    @Option(names = "--interpreter", description = "Interpret guest code instead of compiling it to JVM bytecode.")
    boolean interpreter;

    @Option(names = "--no-compile-cache",
            description = "Compile the module afresh instead of reusing the bytecode kept under ~/.cache/wasm-bpf.")
    boolean noCompileCache;

    // Optional for picocli so that subcommands (btf, gen, …) need no module; required when running one.
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODULE",
            description = "A .wasm file, or the name of a bundled example.")
    String module;

    @Spec
    CommandSpec spec;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the guest, passed untouched.")
    List<String> guestArgs = new ArrayList<>();

    @Override
    public Integer call() {
        if (module == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'MODULE'");
        }
        Diagnostics diagnostics = new Diagnostics(verbose);
        try {
            Libbpf.ensureLoaded();
            // Failures already carry libbpf's log (and the verifier's) in their message: stay quiet unless asked.
            Libbpf.setLogSink((level, message) -> {
                if (verbose) {
                    System.err.print("libbpf: " + message);
                }
            });
            WasmBpfModule wasm = ModuleSource.resolve(module);
            RunConfig config = config();
            RunningModule running = WasmBpfRuntime.start(wasm, config);
            SignalStop.install(running);
            RunResult result = running.await();
            return result.exitCode();
        } catch (ModuleLoadException e) {
            return diagnostics.fail(e.getMessage(), e, EXIT_LOAD_FAILURE);
        } catch (LibbpfUnavailableException e) {
            return diagnostics.fail(e.getMessage(), e, EXIT_LOAD_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private RunConfig config() {
        RunConfig.Builder builder = RunConfig.builder()
                .args(guestArgs)
                .wrapperModuleName(wrapperModuleName)
                .callbackExportName(callbackExportName)
                .engine(interpreter ? Engine.INTERPRETER : Engine.COMPILER);
        if (!noCompileCache) {
            builder.compileCache(CompiledModuleCache.defaultRoot());
        }
        env.forEach(builder::env);
        dirs.stream().map(Preopen::parse).forEach(builder::preopen);
        allowAttach.forEach(builder::allowAttach);
        return builder.build();
    }
}
