package dev.wasmbpf.cli;

import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.LibbpfUnavailableException;
import dev.wasmbpf.runtime.CompiledModuleCache;
import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.Preopen;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunEventListener;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wasm-bpf [options] <module.wasm|example> [guest args…]}: runs a module. Everything after the
 * module goes to the guest untouched, options included.
 */
@Command(
        name = "wasm-bpf",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs a WebAssembly module that loads and drives eBPF programs (the wasm-bpf ABI) on the JVM.",
            "A bare name such as 'bootstrap' runs the bundled example of that name."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the module returned 0, or was stopped by SIGINT/SIGTERM",
            "N:the module returned N or called proc_exit(N) (masked to 0..255)",
            "1:the module trapped",
            "2:the module could not be loaded or linked, or bad usage",
            "124:--timeout expired: the module was terminated (one line on stderr says so)",
            "125:the module trapped after --max-memory refused to grow its memory",
            "141:the reader of a pipe on stdout or stderr went away: the module was stopped, as SIGPIPE stops a native tool"
        })
public final class WasmBpfCommand implements Callable<Integer> {
    static final int EXIT_LOAD_FAILURE = 2;

    @Option(
            names = {"-v", "--verbose"},
            description =
                    "Print the module's lifecycle (objects loaded, programs attached, ready, ended), libbpf's debug log and Java stack traces.")
    boolean verbose;

    @Option(
            names = {"-m", "--wrapper-module-name"},
            paramLabel = "NAME",
            description = "Import module of the callback-style poll used by TinyGo guests (default: ${DEFAULT-VALUE}).")
    String wrapperModuleName = RunConfig.DEFAULT_WRAPPER_MODULE;

    @Option(
            names = {"-c", "--callback-export-name"},
            paramLabel = "NAME",
            description = "Exported guest callback for that poll (default: ${DEFAULT-VALUE}).")
    String callbackExportName = RunConfig.DEFAULT_CALLBACK_EXPORT;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Set a guest environment variable (repeatable).")
    Map<String, String> env = new java.util.LinkedHashMap<>();

    @Option(
            names = "--dir",
            paramLabel = "HOST[::GUEST]",
            description = "Preopen a host directory for the guest (repeatable).")
    List<String> dirs = new ArrayList<>();

    @Option(
            names = "--allow-attach",
            paramLabel = "PATH",
            description =
                    "Allow attach targets (cgroup directories, uprobe binaries) under PATH (repeatable; default: /sys/fs/cgroup for cgroups).")
    List<Path> allowAttach = new ArrayList<>();

    @Option(names = "--interpreter", description = "Interpret guest code instead of compiling it to JVM bytecode.")
    boolean interpreter;

    @Option(
            names = "--no-compile-cache",
            description = "Compile the module afresh instead of reusing the bytecode kept under ~/.cache/wasm-bpf.")
    boolean noCompileCache;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Terminate the module after DURATION (e.g. 30s, 500ms, 5m, 1h; exit status 124).")
    java.time.Duration timeout;

    @Option(
            names = "--max-memory",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            description = "Largest linear memory the module may grow to (e.g. 64M, 1G, 65536; whole 64 KiB pages). "
                    + "memory.grow past it fails and is reported.")
    Long maxMemory;

    // Optional for picocli so that subcommands (btf, gen, …) need no module; required when running one.
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "MODULE",
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
            // The module's compiled form in the cache vouches for its validation: the parse can skip it.
            CompiledModuleCache compileCache =
                    noCompileCache ? null : new CompiledModuleCache(CompiledModuleCache.defaultRoot());
            WasmBpfModule wasm = ModuleSource.resolve(module, compileCache);
            // A pipe whose reader has gone ends the run, as SIGPIPE ends a native tool (ProcessOutput).
            AtomicReference<RunningModule> started = new AtomicReference<>();
            Runnable readerGone = () -> {
                RunningModule run = started.get();
                if (run != null) {
                    run.terminate();
                    SignalStop.haltIfStillRunning(run, ProcessOutput.EXIT_READER_GONE);
                }
            };
            ProcessOutput stdout = ProcessOutput.stdout(readerGone);
            ProcessOutput stderr = ProcessOutput.stderr(readerGone);
            RunConfig config;
            try {
                config = config(compileCache, stdout, stderr);
            } catch (IllegalArgumentException e) {
                return diagnostics.fail(e.getMessage(), e, EXIT_LOAD_FAILURE);
            }
            RunningModule running = WasmBpfRuntime.start(wasm, config);
            started.set(running);
            if (stdout.readerGone() || stderr.readerGone()) {
                readerGone.run();
            }
            SignalStop.install(running);
            RunResult result = awaitWithinTimeout(running, config);
            return stdout.readerGone() || stderr.readerGone() ? ProcessOutput.EXIT_READER_GONE : result.exitCode();
        } catch (ModuleLoadException e) {
            return diagnostics.fail(e.getMessage(), e, EXIT_LOAD_FAILURE);
        } catch (LibbpfUnavailableException e) {
            return diagnostics.fail(e.getMessage(), e, EXIT_LOAD_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** With a timeout, the process ends even if the module can't be stopped (see SignalStop). */
    private static RunResult awaitWithinTimeout(RunningModule running, RunConfig config) throws InterruptedException {
        if (config.timeout().isEmpty()) {
            return running.await();
        }
        var ended = running.await(config.timeout().get());
        if (ended.isPresent()) {
            return ended.get();
        }
        SignalStop.haltIfStillRunning(running, RunResult.TIMED_OUT_EXIT_CODE);
        return running.await();
    }

    private RunConfig config(CompiledModuleCache compileCache, ProcessOutput stdout, ProcessOutput stderr) {
        RunConfig.Builder builder = RunConfig.builder()
                .stdout(stdout)
                .stderr(stderr)
                .args(guestArgs)
                .wrapperModuleName(wrapperModuleName)
                .callbackExportName(callbackExportName)
                .engine(interpreter ? Engine.INTERPRETER : Engine.COMPILER);
        if (compileCache == null) {
            builder.noCompileCache();
        } else {
            builder.compileCache(compileCache);
        }
        if (verbose) {
            builder.events(RunEventListener.diagnostics(System.err).andThen(RunEventListener.lifecycle(System.err)));
        }
        env.forEach(builder::env);
        dirs.stream().map(Preopen::parse).forEach(builder::preopen);
        allowAttach.forEach(builder::allowAttach);
        if (timeout != null) {
            builder.timeout(timeout);
        }
        if (maxMemory != null) {
            builder.maxMemoryBytes(maxMemory);
        }
        return builder.build();
    }

    /** "30s", "500ms", "5m", "1h", a bare number of seconds, or ISO-8601 ("PT30S"). */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<java.time.Duration> {
        private static final java.util.regex.Pattern SIMPLE = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?");

        @Override
        public java.time.Duration convert(String value) {
            java.util.regex.Matcher simple = SIMPLE.matcher(value.trim());
            java.time.Duration duration;
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                String unit = simple.group(2) == null ? "s" : simple.group(2);
                duration = switch (unit) {
                    case "ms" -> java.time.Duration.ofMillis(amount);
                    case "m" -> java.time.Duration.ofMinutes(amount);
                    case "h" -> java.time.Duration.ofHours(amount);
                    default -> java.time.Duration.ofSeconds(amount);
                };
            } else {
                try {
                    duration = java.time.Duration.parse(value.trim());
                } catch (java.time.format.DateTimeParseException e) {
                    throw new picocli.CommandLine.TypeConversionException(
                            "'" + value + "' is not a duration (try 30s, 500ms, 5m, 1h)");
                }
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "': the timeout must be positive");
            }
            return duration;
        }
    }

    /** Bytes with an optional binary suffix: 65536, 64K, 64M, 1G (also KiB/MiB/GiB, KB/MB/GB as binary units). */
    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
        private static final java.util.regex.Pattern SIZE =
                java.util.regex.Pattern.compile("(\\d+)\\s*([kKmMgG]?)(i?[bB])?");

        @Override
        public Long convert(String value) {
            java.util.regex.Matcher matcher = SIZE.matcher(value.trim());
            if (!matcher.matches()) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a size (try 64M, 1G, 65536)");
            }
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            int shift = switch (matcher.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            if (amount > (Long.MAX_VALUE >> shift)) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            long bytes = amount << shift;
            if (bytes < 65_536) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "': the memory limit must be at least 64K (one Wasm page)");
            }
            return bytes;
        }
    }
}
