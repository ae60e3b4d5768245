package dev.wasmbpf.runtime;

import dev.wasmbpf.runtime.internal.ExecutionControl;

/**
 * Runs wasm-bpf modules: WASI preview1 plus the {@code wasm_bpf} host ABI backed by libbpf.
 *
 * <pre>{@code
 * WasmBpfModule module = WasmBpfModule.fromPath(Path.of("build/bootstrap.wasm"));
 * try (RunningModule running = WasmBpfRuntime.start(module, RunConfig.builder().build())) {
 *     running.awaitReady(Duration.ofSeconds(10));   // its probes are live from here on
 *     // ...
 * }
 * }</pre>
 *
 * Every kernel object a module creates is released when it exits, traps or is terminated. A started module
 * runs on a non-daemon thread: end it ({@link RunningModule#close()}), or the JVM keeps running.
 */
public final class WasmBpfRuntime {
    private WasmBpfRuntime() {}

    /**
     * Runs a module to completion on the calling thread's behalf (the guest still runs on its own thread).
     *
     * @param module the module
     * @param config how to run it
     * @return how it ended
     *
     * @throws ModuleLoadException when the module can't be linked (unknown import, wrong type) or compiled
     */
    public static RunResult run(WasmBpfModule module, RunConfig config) throws ModuleLoadException {
        return start(module, config).awaitUninterruptibly();
    }

    /**
     * Starts a module on its own (non-daemon) thread and returns at once, before the guest has loaded anything:
     * use {@link RunningModule#awaitReady} to wait until its programs are live.
     *
     * @param module the module
     * @param config how to run it
     * @return the running module; close it, or the JVM won't exit
     * @throws ModuleLoadException when the module can't be linked (unknown import, wrong type) or compiled
     */
    public static RunningModule start(WasmBpfModule module, RunConfig config) throws ModuleLoadException {
        return RunningModule.start(GuestRun.prepare(module, config, new ExecutionControl()));
    }
}
