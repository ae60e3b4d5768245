package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmbpf.bpf.Errno;
import java.util.List;

/** Shared plumbing for the {@code wasm_bpf} host functions. */
final class HostFunctions {
    static final String MODULE = "wasm_bpf";

    private HostFunctions() {}

    static FunctionType type(List<ValType> params, List<ValType> results) {
        return FunctionType.of(params, results);
    }

    /**
     * Wraps an ABI function body: honours pause/terminate first, and turns any unexpected host failure into
     * {@code -EIO} with a diagnostic instead of letting it reach the guest as a Java exception. Chicory
     * exceptions (a trap or exit raised by a guest callback, or termination) pass through unchanged.
     */
    static HostFunction define(AbiContext context, String module, String name, FunctionType type, Body body) {
        WasmFunctionHandle handle = (instance, args) -> {
            long result;
            try {
                context.control().enterHostCall();
                result = body.call(args);
            } catch (ChicoryException e) {
                throw e;
            } catch (RuntimeException e) {
                context.report(name + ": internal error: " + e);
                result = -Errno.EIO;
            } finally {
                context.control().exitHostCall();
            }
            return new long[] {result};
        };
        return new HostFunction(module, name, type, handle);
    }

    @FunctionalInterface
    interface Body {
        long call(long[] args);
    }
}
