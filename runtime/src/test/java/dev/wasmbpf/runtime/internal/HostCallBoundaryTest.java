package dev.wasmbpf.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.runtime.GuestTerminatedException;
import dev.wasmbpf.runtime.RunEvent;
import dev.wasmbpf.runtime.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The failure policy of each host-call family, the counters, and pause/terminate at the boundary. */
class HostCallBoundaryTest {
    private static final FunctionType I32_TO_I32 = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));

    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private final ExecutionControl control = new ExecutionControl();
    private final RunMonitor monitor =
            new RunMonitor("m.wasm", events::add, new PrintStream(new ByteArrayOutputStream()));
    private final HostCallBoundary boundary = new HostCallBoundary(control, monitor);

    private static HostFunction throwing(String module, RuntimeException e) {
        return new HostFunction(module, "f", I32_TO_I32, (instance, args) -> {
            throw e;
        });
    }

    @Test
    void aWasmBpfFunctionThatThrowsReturnsMinusEioAndSendsAnEvent() {
        IllegalStateException bug = new IllegalStateException("bug");
        HostFunction f = boundary.wrap(HostCallBoundary.Family.WASM_BPF, throwing("wasm_bpf", bug));
        assertArrayEquals(new long[] {-Errno.EIO}, f.handle().apply(null, 0));
        assertEquals(List.of(new RunEvent.HostCallFailed("m.wasm", "f", bug)), events);
        assertEquals(
                "f: internal error: java.lang.IllegalStateException: bug",
                events.getFirst().describe());
        assertEquals(
                new RunStats.HostCalls("wasm_bpf", "f", 1, Map.of(Errno.EIO, 1L)),
                monitor.stats().hostCalls().getFirst());
    }

    @Test
    void wasiAndEmbedderFunctionsThatThrowTrapNamingTheFunction() {
        for (var family : List.of(HostCallBoundary.Family.WASI, HostCallBoundary.Family.EMBEDDER)) {
            HostFunction f = boundary.wrap(family, throwing("env", new IllegalArgumentException("bad")));
            TrapException trap =
                    assertThrows(TrapException.class, () -> f.handle().apply(null, 0));
            assertEquals("host function env.f failed: bad", trap.getMessage());
        }
        assertEquals(List.of(), events);
    }

    @Test
    void chicorysOwnExceptionsPassThroughInEveryFamily() {
        for (var family : HostCallBoundary.Family.values()) {
            WasiExitException exit = new WasiExitException(3);
            HostFunction f = boundary.wrap(family, throwing("env", exit));
            assertSame(
                    exit, assertThrows(WasiExitException.class, () -> f.handle().apply(null, 0)));
        }
        assertEquals(List.of(), events);
    }

    @Test
    void negativeAbiResultsAndNonZeroWasiResultsAreCountedByErrno() {
        HostFunction abi = boundary.wrap(
                HostCallBoundary.Family.WASM_BPF,
                new HostFunction("wasm_bpf", "g", I32_TO_I32, (instance, args) -> new long[] {args[0]}));
        HostFunction wasi = boundary.wrap(
                HostCallBoundary.Family.WASI,
                new HostFunction(
                        "wasi_snapshot_preview1", "fd_read", I32_TO_I32, (instance, args) -> new long[] {args[0]}));
        abi.handle().apply(null, -Errno.ENOENT);
        abi.handle().apply(null, -Errno.ENOENT);
        abi.handle().apply(null, 5);
        wasi.handle().apply(null, 8);
        wasi.handle().apply(null, 0);
        assertEquals(
                List.of(
                        new RunStats.HostCalls("wasm_bpf", "g", 3, Map.of(Errno.ENOENT, 2L)),
                        new RunStats.HostCalls("wasi_snapshot_preview1", "fd_read", 2, Map.of(8, 1L))),
                monitor.stats().hostCalls());
    }

    @Test
    void terminationIsHonouredAtTheBoundaryBeforeTheBodyRuns() {
        HostFunction f = boundary.wrap(
                HostCallBoundary.Family.WASM_BPF, new HostFunction("wasm_bpf", "g", I32_TO_I32, (instance, args) -> {
                    throw new AssertionError("body must not run after terminate");
                }));
        control.terminate();
        assertThrows(GuestTerminatedException.class, () -> f.handle().apply(null, 0));
        assertTrue(events.isEmpty(), events.toString());
    }
}
