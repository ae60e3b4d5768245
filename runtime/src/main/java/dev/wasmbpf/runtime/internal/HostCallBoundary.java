package dev.wasmbpf.runtime.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.runtime.RunEvent;
import java.util.List;

/**
 * The one boundary every host function of a run is called through. On each call it honours pause and
 * terminate ({@link ExecutionControl#enterHostCall}), keeps the host-call depth that tells whether a
 * stuck guest may be abandoned, counts the call and its failure, and applies its family's failure policy to
 * an exception the function did not expect. Chicory's own exceptions (a trap or an exit raised in a guest
 * callback, termination) always pass through unchanged.
 */
public final class HostCallBoundary {
    /** Import module of the WASI functions. */
    public static final String WASI_MODULE = "wasi_snapshot_preview1";

    private static final String SLEEP = "poll_oneoff";

    /** Who defines a host function, which decides what an unexpected failure does to the guest. */
    public enum Family {
        /**
         * The {@code wasm_bpf} ABI: the guest gets {@code -EIO} and a {@link RunEvent.HostCallFailed} is sent,
         * as the ABI promises negative errnos, never a trap, for host-side failures. A negative i32 result is
         * counted as {@code -errno}.
         */
        WASM_BPF,
        /**
         * WASI preview1: the guest traps with a message naming the function. Chicory's implementation already
         * turns every failure it knows of into a WASI errno (counted as such), so an exception here is a host
         * bug, and carrying on would hide it.
         */
        WASI,
        /** An embedder's {@link dev.wasmbpf.runtime.HostFunctionSpec}: the guest traps with the exception's message. */
        EMBEDDER
    }

    private final ExecutionControl control;
    private final RunMonitor monitor;

    public HostCallBoundary(ExecutionControl control, RunMonitor monitor) {
        this.control = control;
        this.monitor = monitor;
    }

    public ExecutionControl control() {
        return control;
    }

    public RunMonitor monitor() {
        return monitor;
    }

    /** {@code function} behind this boundary, with its family's policy. */
    public HostFunction wrap(Family family, HostFunction function) {
        WasmFunctionHandle inner = function.handle();
        HostCallCounter counter = monitor.counter(function.module(), function.name());
        List<ValType> returns = function.functionType().returns();
        boolean errnoResult = returns.size() == 1 && returns.get(0) == ValType.I32;
        boolean sleep = family == Family.WASI && function.name().equals(SLEEP);
        String name = function.name();
        String qualified = function.module() + "." + name;
        WasmFunctionHandle handle = (instance, args) -> {
            counter.called();
            long[] result;
            try {
                control.enterHostCall();
                if (sleep) {
                    monitor.slept();
                }
                result = inner.apply(instance, args);
            } catch (ChicoryException e) {
                throw e;
            } catch (RuntimeException e) {
                result = fail(family, name, qualified, e);
            } finally {
                control.exitHostCall();
            }
            if (errnoResult && result != null && result.length == 1) {
                count(family, counter, (int) result[0]);
            }
            return result;
        };
        return new HostFunction(function.module(), name, function.functionType(), handle);
    }

    private long[] fail(Family family, String name, String qualified, RuntimeException e) {
        return switch (family) {
            case WASM_BPF -> {
                monitor.emit(new RunEvent.HostCallFailed(monitor.module(), name, e));
                yield new long[] {-Errno.EIO};
            }
            case WASI, EMBEDDER -> throw new TrapException("host function " + qualified + " failed: " + e.getMessage());
        };
    }

    private static void count(Family family, HostCallCounter counter, int result) {
        switch (family) {
            case WASM_BPF -> {
                if (result < 0 && result > -4096) {
                    counter.failed(-result);
                }
            }
            case WASI -> {
                if (result != 0) {
                    counter.failed(result);
                }
            }
            case EMBEDDER -> {
                // An embedder's results mean what the embedder says: nothing to count.
            }
        }
    }
}
