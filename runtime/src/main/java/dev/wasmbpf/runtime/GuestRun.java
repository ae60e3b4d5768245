package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.wasmbpf.runtime.abi.AbiContext;
import dev.wasmbpf.runtime.abi.AttachPolicy;
import dev.wasmbpf.runtime.abi.WasmBpfImports;
import dev.wasmbpf.runtime.wasi.WasiEnvironment;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One execution of a module: linked before it starts (so link errors surface to the caller), executed on
 * the guest thread, and always followed by the release of every kernel object the guest created.
 */
final class GuestRun {
    private static final String START = "_start";

    private final WasmBpfModule module;
    private final ExecutionControl control;
    private final AbiContext abi;
    private final WasiEnvironment wasi;
    private final ImportValues imports;
    private final Function<Instance, Machine> machineFactory;
    private final PrintStream stderr;

    private GuestRun(WasmBpfModule module, ExecutionControl control, AbiContext abi, WasiEnvironment wasi,
            ImportValues imports, Function<Instance, Machine> machineFactory, PrintStream stderr) {
        this.module = module;
        this.control = control;
        this.abi = abi;
        this.wasi = wasi;
        this.imports = imports;
        this.machineFactory = machineFactory;
        this.stderr = stderr;
    }

    static GuestRun prepare(WasmBpfModule module, RunConfig config, ExecutionControl control)
            throws ModuleLoadException {
        PrintStream stderr = new PrintStream(config.stderr(), true, java.nio.charset.StandardCharsets.UTF_8);
        List<java.nio.file.Path> preopenedHostDirs =
                config.preopens().stream().map(Preopen::hostPath).toList();
        AbiContext abi = new AbiContext(control, stderr, AttachPolicy.of(config.allowAttach(), preopenedHostDirs),
                config.callbackExportName());
        List<String> argv = new ArrayList<>();
        argv.add(module.name());
        argv.addAll(config.args());
        WasiEnvironment wasi = new WasiEnvironment(argv, config.env(), config.preopens(), config.stdin(),
                config.stdout(), config.stderr(), control);
        try {
            List<HostFunction> offered = new ArrayList<>(wasi.functions());
            offered.addAll(new WasmBpfImports(abi, config.wrapperModuleName()).functions(ImportLinker.importedType(
                    module.wasm(), "wasm_bpf", WasmBpfImports.mapOperateName())));
            for (HostFunctionSpec spec : config.hostFunctions()) {
                offered.add(embedderFunction(spec, abi, control));
            }
            ImportValues imports = ImportLinker.link(module.wasm(), offered);
            if (!exportsStart(module)) {
                throw new ModuleLoadException(module.name() + " has no _start export: not a WASI command module");
            }
            return new GuestRun(module, control, abi, wasi, imports, module.machineFactory(config.engine(), config.compileCache()), stderr);
        } catch (ModuleLoadException | RuntimeException e) {
            abi.close();
            wasi.close();
            throw e;
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

    private static HostFunction embedderFunction(HostFunctionSpec spec, AbiContext abi, ExecutionControl control) {
        FunctionType type = FunctionType.of(
                spec.params().stream().map(ValueType::wasm).toList(),
                spec.results().stream().map(ValueType::wasm).toList());
        return new HostFunction(spec.module(), spec.name(), type, (instance, args) -> {
            control.checkpoint();
            try {
                long[] results = spec.body().call(abi.guestMemory(), args);
                return results == null ? new long[0] : results;
            } catch (ChicoryException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TrapException("host function " + spec.qualifiedName() + " failed: " + e.getMessage());
            }
        });
    }

    ExecutionControl control() {
        return control;
    }

    String moduleName() {
        return module.name();
    }

    /** Runs the guest's _start on the current thread, then releases everything. Never throws. */
    RunResult execute() {
        control.bindGuestThread(Thread.currentThread());
        RunResult result;
        try {
            result = runStart();
        } finally {
            // A termination interrupt must not disturb the cleanup that follows.
            Thread.interrupted();
            release();
        }
        if (result instanceof RunResult.Trapped trapped) {
            reportTrap(trapped);
        }
        return result;
    }

    private RunResult runStart() {
        try {
            Instance.Builder builder = Instance.builder(module.wasm()).withImportValues(imports).withStart(false);
            if (machineFactory != null) {
                builder.withMachineFactory(machineFactory);
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
            return new RunResult.Terminated();
        } catch (StackOverflowError e) {
            return new RunResult.Trapped("call stack exhausted", WasmStackTrace.of(e, module.wasm()));
        } catch (OutOfMemoryError e) {
            return new RunResult.Trapped("out of memory: " + e.getMessage(), List.of());
        } catch (RuntimeException e) {
            if (control.isTerminating()) {
                return new RunResult.Terminated();
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new RunResult.Trapped(message, WasmStackTrace.of(e, module.wasm()));
        }
    }

    private void reportTrap(RunResult.Trapped trapped) {
        stderr.println("wasm-bpf: " + module.name() + " trapped: " + trapped.message());
        if (!trapped.wasmStackTrace().isEmpty()) {
            stderr.println("wasm stack trace:");
            for (String frame : trapped.wasmStackTrace()) {
                stderr.println("  at " + frame);
            }
        }
        stderr.flush();
    }

    private void release() {
        try {
            abi.close();
        } catch (RuntimeException e) {
            stderr.println("wasm-bpf: releasing BPF objects failed: " + e.getMessage());
        } finally {
            wasi.close();
            stderr.flush();
        }
    }
}
