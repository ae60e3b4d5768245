package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmbpf.runtime.internal.HostCallBoundary;
import java.util.List;

/** Shared plumbing for the {@code wasm_bpf} host functions. */
final class HostFunctions {
    static final String MODULE = "wasm_bpf";

    private HostFunctions() {}

    static FunctionType type(List<ValType> params, List<ValType> results) {
        return FunctionType.of(params, results);
    }

    /**
     * An ABI function behind the run's {@link HostCallBoundary} with the {@code wasm_bpf} policy: pause and
     * terminate first, an unexpected host failure becomes {@code -EIO} and a diagnostic event.
     */
    static HostFunction define(AbiContext context, String module, String name, FunctionType type, Body body) {
        WasmFunctionHandle handle = (instance, args) -> new long[] {body.call(args)};
        return context.boundary().wrap(HostCallBoundary.Family.WASM_BPF, new HostFunction(module, name, type, handle));
    }

    @FunctionalInterface
    interface Body {
        long call(long[] args);
    }
}
