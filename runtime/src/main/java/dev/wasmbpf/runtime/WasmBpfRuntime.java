package dev.wasmbpf.runtime;

/**
 * Runs wasm-bpf modules: WASI preview1 plus the {@code wasm_bpf} host ABI backed by libbpf.
 *
 * <pre>{@code
 * WasmBpfModule module = WasmBpfModule.fromPath(Path.of("bootstrap.wasm"));
 * RunResult result = WasmBpfRuntime.run(module, RunConfig.builder().args("-d", "10").build());
 * }</pre>
 *
 * Every kernel object a module creates is released when it exits, traps or is terminated.
 */
public final class WasmBpfRuntime {
    private WasmBpfRuntime() {}

    /**
     * Runs a module to completion.
     *
     * @throws ModuleLoadException when the module can't be linked (unknown import, wrong type) or compiled
     */
    public static RunResult run(WasmBpfModule module, RunConfig config) throws ModuleLoadException {
        return start(module, config).awaitUninterruptibly();
    }

    /** Starts a module on its own thread; link errors are thrown here, before it starts. */
    public static RunningModule start(WasmBpfModule module, RunConfig config) throws ModuleLoadException {
        return RunningModule.start(GuestRun.prepare(module, config, new ExecutionControl()));
    }
}
