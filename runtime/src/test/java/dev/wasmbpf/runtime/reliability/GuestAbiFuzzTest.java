package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.GuestMemory;
import dev.wasmbpf.runtime.HostFunctionSpec;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.ValueType;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same hostile calls as {@link HostAbiFuzzTest}, made by Wasm code through the real imports of a running
 * module (the rel_fuzz guest asks the test for each call through host functions of import module "fuzz").
 * A run that traps (WASI answers some wild pointers with a trap) is restarted where it stopped; the trap
 * must come from a WASI call, never a {@code wasm_bpf} one, and carry a message; every run must use up calls,
 * which bounds the restarts; and nothing may be left in the kernel at the end.
 */
class GuestAbiFuzzTest {
    private static final int GUARD = 4096;
    private static final byte[] GUARD_BYTES = HostAbiFuzzTest.guardPattern(GUARD);

    @Test
    void hostileCallsFromWasmCodeGetAnErrnoOrATypedTrap() throws Exception {
        KernelTestSupport.requireKernel();
        long budget = FuzzCorpus.size("guestFuzzCalls", 100_000);
        List<Long> seeds = FuzzCorpus.seeds();
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        int perfEvents = KernelTestSupport.ownPerfEventFds();
        WasmBpfModule module = WasmBpfModule.fromPath(GuestHarness.guest("rel_fuzz"));
        FuzzStats stats = new FuzzStats();
        for (long seed : seeds) {
            Session session = new Session(new Random(seed), seed, budget / seeds.size(), stats);
            while (session.remaining > 0) {
                // The bound on restarts: every run must use up at least one call, so there are at most `remaining`.
                long remainingBefore = session.remaining;
                DiagnosticLines diagnostics = new DiagnosticLines(DiagnosticLines::isInternalError);
                RunResult result = WasmBpfRuntime.run(module, session.config(diagnostics));
                if (session.violation != null) {
                    throw new AssertionError(session.violation);
                }
                switch (result) {
                    case RunResult.Exited exited -> assertEquals(0, exited.exitCode(), "seed " + seed);
                    case RunResult.Trapped trapped -> {
                        // As in HostAbiFuzzTest: WASI may answer a wild pointer with a trap, a wasm_bpf import never
                        // may (it returns -errno), and the guest itself traps nowhere else.
                        assertTrue(
                                session.inFlight,
                                "seed " + seed + ": a trap outside any fuzzed call, after " + session.current + ": "
                                        + trapped.message());
                        assertFalse(
                                session.current.op().abi,
                                "seed " + seed + ": the wasm_bpf call " + session.current + " trapped: "
                                        + trapped.message());
                        assertTrue(
                                trapped.message() != null && !trapped.message().isBlank(),
                                "seed " + seed + ": a trap without a message after " + session.current);
                        // The trapped call never returned: count it here (next() already took it off the budget).
                        stats.traps++;
                        stats.calls++;
                        stats.restarts++;
                    }
                    default -> throw new AssertionError("seed " + seed + ": unexpected end " + result);
                }
                assertTrue(
                        session.remaining < remainingBefore,
                        "seed " + seed + ": a run ended (" + result
                                + ") without making a call: restarting would never end");
                assertEquals(List.of(), diagnostics.kept(), "internal errors (seed " + seed + ")");
                stats.diagnostics += diagnostics.count();
            }
        }
        KernelTestSupport.assertReleasedSince(before, "the guest fuzzer");
        KernelTestSupport.assertPerfEventsReleased(perfEvents, "the guest fuzzer");
        System.out.println("GuestAbiFuzzTest: " + stats);
        assertTrue(stats.calls >= budget - seeds.size(), stats.toString());
    }

    /** One seed's calls, spread over as many guest runs as traps make necessary. */
    private static final class Session {
        final Random random;
        final long seed;
        final FuzzStats stats;
        long remaining;
        FuzzWorld world;
        AbiCallGenerator generator;
        FuzzLayout layout;
        FuzzCall current;
        /** Whether {@link #current} was handed out and its result not yet reported: a trap now is its trap. */
        boolean inFlight;

        String violation;

        Session(Random random, long seed, long calls, FuzzStats stats) {
            this.random = random;
            this.seed = seed;
            this.remaining = calls;
            this.stats = stats;
        }

        RunConfig config(DiagnosticLines diagnostics) {
            current = null;
            inFlight = false;
            RunConfig.Builder config = RunConfig.builder()
                    .engine(Engine.COMPILER)
                    .stdin(new ByteArrayInputStream(new byte[0]))
                    .stdout(OutputStream.nullOutputStream())
                    .stderr(diagnostics)
                    .hostFunction(new HostFunctionSpec(
                            "fuzz",
                            "setup",
                            List.of(ValueType.I32, ValueType.I32, ValueType.I32, ValueType.I32, ValueType.I32),
                            List.of(),
                            (memory, args) -> setup(memory, args)))
                    .hostFunction(
                            new HostFunctionSpec("fuzz", "next", List.of(), List.of(ValueType.I32), (memory, args) ->
                                    new long[] {next(memory)}))
                    .hostFunction(new HostFunctionSpec(
                            "fuzz", "arg", List.of(ValueType.I32), List.of(ValueType.I64), (memory, args) ->
                                    new long[] {current.args()[(int) args[0]]}))
                    .hostFunction(new HostFunctionSpec(
                            "fuzz", "result", List.of(ValueType.I64), List.of(), (memory, args) -> {
                                result(memory, args[0]);
                                return null;
                            }));
            return config.build();
        }

        private long[] setup(GuestMemory memory, long[] args) {
            world = new FuzzWorld();
            world.objectAddress = Integer.toUnsignedLong((int) args[0]);
            world.objectLength = (int) args[1];
            world.callbackIndex = (int) args[2];
            world.realLoadsLeft = (int) Math.max(3, remaining / 40_000);
            world.realAttachesLeft = 3 * world.realLoadsLeft;
            long arena = Integer.toUnsignedLong((int) args[3]);
            long arenaLength = Integer.toUnsignedLong((int) args[4]);
            layout = new FuzzLayout(arena + GUARD, arena + arenaLength - GUARD, GUARD, 512);
            generator = new AbiCallGenerator(random, layout, world);
            write(memory, layout.guardBefore(), GUARD_BYTES);
            write(memory, layout.guardAfter(), GUARD_BYTES);
            return null;
        }

        private long next(GuestMemory memory) {
            if (violation != null || remaining <= 0) {
                return -1;
            }
            current = generator.next(memory.size());
            for (FuzzCall.Write w : current.writes()) {
                write(memory, w.address(), w.bytes());
            }
            remaining--;
            inFlight = true;
            return current.op().ordinal();
        }

        private void result(GuestMemory memory, long value) {
            inFlight = false;
            String problem = FuzzOracle.violation(current, value, world, memory.size());
            if (problem == null && !(current.lengthBeyondRoom() && !current.op().abi)) {
                problem = guardProblem(memory);
            }
            if (problem != null) {
                violation = "seed " + seed + ", " + current + ": " + problem;
                return;
            }
            if (current.op() == FuzzOp.LOAD && value > 0) {
                generator.loaded(value);
                stats.realLoads++;
            }
            stats.count(current.op(), value);
            world.observe(current, value);
            if (current.lengthBeyondRoom()) {
                write(memory, layout.guardBefore(), GUARD_BYTES);
                write(memory, layout.guardAfter(), GUARD_BYTES);
            }
        }

        private String guardProblem(GuestMemory memory) {
            if (!Arrays.equals(memory.read((int) layout.guardBefore(), GUARD), GUARD_BYTES)
                    || !Arrays.equals(memory.read((int) layout.guardAfter(), GUARD), GUARD_BYTES)) {
                return "a guard region next to the buffers it was given changed";
            }
            return null;
        }

        private static void write(GuestMemory memory, long address, byte[] bytes) {
            memory.copyFromNative(MemorySegment.ofArray(bytes), 0, (int) address, bytes.length);
        }
    }
}
