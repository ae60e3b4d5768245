package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.runtime.abi.AbiContext;
import dev.wasmbpf.runtime.abi.AttachPolicy;
import dev.wasmbpf.runtime.abi.WasmBpfImports;
import dev.wasmbpf.runtime.internal.ExecutionControl;
import dev.wasmbpf.runtime.internal.HostCallBoundary;
import dev.wasmbpf.runtime.internal.RunMonitor;
import dev.wasmbpf.runtime.wasi.WasiEnvironment;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One execution of a module: linked before it starts (so link errors surface to the caller), executed on
 * the guest thread, and always followed by the release of every kernel object the guest created. What the
 * host has to say about the run goes to its {@link RunMonitor} as {@link RunEvent}s.
 */
final class GuestRun {
    private static final String START = "_start";

    private final WasmBpfModule module;
    private final ExecutionControl control;
    private final AbiContext abi;
    private final WasiEnvironment wasi;
    private final ImportValues imports;
    private final Function<Instance, Machine> machineFactory;
    private final RunMonitor monitor;
    private final Duration timeout;
    private final OptionalLong maxMemoryPages;
    private volatile boolean memoryGrowRefused;
    private final AtomicBoolean finished = new AtomicBoolean();
    private boolean released;

    private GuestRun(
            WasmBpfModule module,
            ExecutionControl control,
            AbiContext abi,
            WasiEnvironment wasi,
            ImportValues imports,
            Function<Instance, Machine> machineFactory,
            RunMonitor monitor,
            RunConfig config) {
        this.module = module;
        this.control = control;
        this.abi = abi;
        this.wasi = wasi;
        this.imports = imports;
        this.machineFactory = machineFactory;
        this.monitor = monitor;
        this.timeout = config.timeout().orElse(null);
        this.maxMemoryPages = config.maxMemoryPages();
    }

    static GuestRun prepare(WasmBpfModule module, RunConfig config, ExecutionControl control)
            throws ModuleLoadException {
        PrintStream stderr = new PrintStream(config.stderr(), true, java.nio.charset.StandardCharsets.UTF_8);
        List<java.nio.file.Path> preopenedHostDirs =
                config.preopens().stream().map(Preopen::hostPath).toList();
        RunMonitor monitor = new RunMonitor(module.name(), config.events(), stderr);
        HostCallBoundary boundary = new HostCallBoundary(control, monitor);
        AbiContext abi = new AbiContext(
                boundary, AttachPolicy.of(config.allowAttach(), preopenedHostDirs), config.callbackExportName());
        List<String> argv = new ArrayList<>();
        argv.add(module.name());
        argv.addAll(config.args());
        WasiEnvironment wasi = new WasiEnvironment(
                argv, config.env(), config.preopens(), config.stdin(), config.stdout(), config.stderr(), boundary);
        try {
            List<HostFunction> offered = new ArrayList<>(wasi.functions());
            offered.addAll(new WasmBpfImports(abi, config.wrapperModuleName())
                    .functions(ImportLinker.importedType(module.wasm(), "wasm_bpf", WasmBpfImports.mapOperateName())));
            for (HostFunctionSpec spec : config.hostFunctions()) {
                offered.add(embedderFunction(spec, abi, boundary));
            }
            ImportValues imports = ImportLinker.link(module.wasm(), offered);
            if (!exportsStart(module)) {
                throw new ModuleLoadException(module.name() + " has no _start export: not a WASI command module");
            }
            checkInitialMemory(module, config);
            return new GuestRun(
                    module,
                    control,
                    abi,
                    wasi,
                    imports,
                    module.machineFactory(config.engine(), config.compileCache()),
                    monitor,
                    config);
        } catch (ModuleLoadException | RuntimeException e) {
            abi.close();
            wasi.close();
            throw e;
        }
    }

    /** A module whose initial memory already exceeds the limit can't start: say so before it does. */
    private static void checkInitialMemory(WasmBpfModule module, RunConfig config) throws ModuleLoadException {
        if (config.maxMemoryPages().isEmpty() || module.wasm().memorySection().isEmpty()) {
            return;
        }
        var memories = module.wasm().memorySection().get();
        for (int i = 0; i < memories.memoryCount(); i++) {
            long initial = memories.getMemory(i).limits().initialPages() * RunConfig.WASM_PAGE_BYTES;
            long limit = config.maxMemoryBytes().getAsLong();
            if (initial > limit) {
                throw new ModuleLoadException(module.name() + " needs " + initial
                        + " bytes of memory at start, more than the " + limit + "-byte memory limit");
            }
        }
    }

    private static boolean exportsStart(WasmBpfModule module) {
        var exports = module.wasm().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            if (exports.getExport(i).name().equals(START)) {
                return true;
            }
        }
        return false;
    }

    /** An embedder's function behind the boundary: a failure traps the guest (see {@link HostFunctionBody}). */
    private static HostFunction embedderFunction(HostFunctionSpec spec, AbiContext abi, HostCallBoundary boundary) {
        FunctionType type = FunctionType.of(
                spec.params().stream().map(ValueType::wasm).toList(),
                spec.results().stream().map(ValueType::wasm).toList());
        return boundary.wrap(
                HostCallBoundary.Family.EMBEDDER,
                new HostFunction(spec.module(), spec.name(), type, (instance, args) -> {
                    long[] results = spec.body().call(abi.guestMemory(), args);
                    return results == null ? new long[0] : results;
                }));
    }

    /** The run's time limit, or null. */
    Duration timeout() {
        return timeout;
    }

    ExecutionControl control() {
        return control;
    }

    RunMonitor monitor() {
        return monitor;
    }

    GuestMemory guestMemory() {
        return abi.guestMemory();
    }

    String moduleName() {
        return module.name();
    }

    /** Runs the guest's _start on the current thread, then releases everything. Never throws. */
    RunResult execute() {
        control.bindGuestThread(Thread.currentThread());
        // libbpf's lines printed on this thread are this module's (its loads, attaches, polls, the release).
        Libbpf.observeThreadLog(
                (level, message) -> monitor.emit(new RunEvent.LibbpfLogLine(module.name(), level, message)));
        RunResult result;
        try {
            result = runStart();
        } finally {
            // A termination interrupt must not disturb the cleanup that follows.
            Thread.interrupted();
            release();
            Libbpf.observeThreadLog(null);
        }
        return finish(result);
    }

    /**
     * Ends a run whose guest ignored termination for {@code grace} while outside any host call: Chicory's
     * interpreter checks for interruption only at calls and unconditional branches, so a loop closed by
     * {@code br_if} in interpreted code (the --interpreter engine, or a function too large for the compiler)
     * spins on. Outside host calls the guest holds no native resource and its next host call can only throw,
     * so its kernel objects are released now and its thread is left to spin; the run counts as stopped.
     */
    RunResult abandon(Duration grace) {
        monitor.emit(new RunEvent.Abandoned(module.name(), grace));
        release();
        return finish(stopped());
    }

    /**
     * Reports how the run ended, once: an abandoned guest may still end later, unseen. {@link RunEvent.Ended}
     * comes last, after the release.
     */
    private RunResult finish(RunResult ended) {
        if (!finished.compareAndSet(false, true)) {
            return ended;
        }
        RunResult result = ended;
        if (result instanceof RunResult.Trapped trapped) {
            reportTrap(trapped);
            if (memoryGrowRefused) {
                result = new RunResult.MemoryLimitExceeded(
                        maxMemoryPages.getAsLong() * RunConfig.WASM_PAGE_BYTES, trapped.message());
            }
        } else if (result instanceof RunResult.TimedOut timedOut) {
            monitor.emit(new RunEvent.TimedOut(module.name(), timedOut.timeout()));
        }
        monitor.ended(result);
        return result;
    }

    private RunResult runStart() {
        try {
            Instance.Builder builder =
                    Instance.builder(module.wasm()).withImportValues(imports).withStart(false);
            if (machineFactory != null) {
                builder.withMachineFactory(machineFactory);
            }
            if (maxMemoryPages.isPresent()) {
                builder.withMemoryFactory(
                        limits -> new LimitedMemory(limits, (int) maxMemoryPages.getAsLong(), this::memoryGrowRefused));
            } else {
                // Chicory's default is ByteBufferMemory; the byte[]-backed one cost ~15-25 % less CPU per event
                // in the bootstrap benchmark (docs/benchmarks.md). LimitedMemory wraps the same kind.
                builder.withMemoryFactory(ByteArrayMemory::new);
            }
            Instance instance = builder.build();
            abi.bind(instance);
            ExportFunction start = instance.export(START);
            control.checkpoint();
            start.apply();
            return new RunResult.Exited(0);
        } catch (WasiExitException e) {
            return new RunResult.Exited(e.exitCode() & 0xFF);
        } catch (ChicoryInterruptedException e) {
            return stopped();
        } catch (StackOverflowError e) {
            return new RunResult.Trapped("call stack exhausted", WasmStackTrace.of(e, module.wasm()));
        } catch (OutOfMemoryError e) {
            return new RunResult.Trapped("out of memory: " + e.getMessage(), List.of());
        } catch (AssertionError e) {
            // Chicory asserts on some malformed modules when assertions are on (-ea): still the guest's fault.
            return new RunResult.Trapped("invalid module: " + e.getMessage(), WasmStackTrace.of(e, module.wasm()));
        } catch (RuntimeException e) {
            if (control.isTerminating()) {
                return stopped();
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new RunResult.Trapped(message, WasmStackTrace.of(e, module.wasm()));
        }
    }

    private RunResult stopped() {
        return control.timedOut() ? new RunResult.TimedOut(timeout) : new RunResult.Terminated();
    }

    /** Reports the first refusal only: a guest retrying malloc in a loop must not flood stderr. */
    private void memoryGrowRefused(int pagesNow, int pagesAsked) {
        if (memoryGrowRefused) {
            return;
        }
        memoryGrowRefused = true;
        monitor.emit(new RunEvent.MemoryGrowRefused(
                module.name(), pagesAsked, pagesNow, maxMemoryPages.getAsLong() * RunConfig.WASM_PAGE_BYTES));
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private void reportTrap(RunResult.Trapped trapped) {
        monitor.emit(new RunEvent.Trapped(module.name(), trapped.message(), trapped.wasmStackTrace()));
    }

    /** Idempotent: the guest thread and {@link #abandon} may both get here. */
    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            abi.close();
        } catch (RuntimeException e) {
            monitor.emit(new RunEvent.ReleaseFailed(module.name(), e.getMessage()));
        } finally {
            wasi.close();
        }
    }
}
