package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.abi.AbiContext;
import dev.wasmbpf.runtime.abi.AttachPolicy;
import dev.wasmbpf.runtime.abi.WasmBpfImports;
import dev.wasmbpf.runtime.internal.ExecutionControl;
import dev.wasmbpf.runtime.wasi.WasiEnvironment;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile arguments straight into the host functions' Java implementations (the {@code wasm_bpf} ABI and
 * Chicory's WASI), bound to a real instance of the rel_fuzz guest whose memory the test lays out itself.
 * This is the fast path to a million calls; {@link GuestAbiFuzzTest} sends the same kind of calls from
 * Wasm code.
 */
class HostAbiFuzzTest {
    private static final int PAGES = 24;
    private static final long MEMORY = PAGES * 65_536L;
    /** low [0, 512K) | guard | work | guard | tail (the last 12 KiB, for end-of-memory pointers). */
    private static final FuzzLayout LAYOUT = new FuzzLayout(512 * 1024 + 4096, MEMORY - 16 * 1024, 4096, 512 * 1024);

    private static final byte[] GUARD = guardPattern(LAYOUT.guardLength());

    @Test
    void everyImportAnswersAMillionHostileCallsWithAnErrnoOrATypedTrap() throws Exception {
        KernelTestSupport.requireKernel();
        long budget = FuzzCorpus.size("fuzzCalls", 1_000_000);
        List<Long> seeds = FuzzCorpus.seeds();
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        int perfEventsBefore = KernelTestSupport.ownPerfEventFds();
        FuzzStats stats = new FuzzStats();
        for (long seed : seeds) {
            try (Target target = new Target()) {
                run(seed, budget / seeds.size(), target, stats);
            }
        }
        KernelTestSupport.assertReleasedSince(before, "the host-API fuzzer");
        KernelTestSupport.assertPerfEventsReleased(perfEventsBefore, "the host-API fuzzer");
        System.out.println("HostAbiFuzzTest: " + stats);
        assertTrue(stats.calls >= budget - seeds.size(), "made " + stats.calls + " calls");
        assertTrue(stats.realLoads > 0 && stats.successes > 0, "never got past the first check: " + stats);
    }

    private static void run(long seed, long calls, Target target, FuzzStats stats) {
        FuzzWorld world = new FuzzWorld();
        world.objectBytes = target.objectBytes;
        world.objectAddress = 4096;
        world.objectLength = target.objectBytes.length;
        world.callbackIndex = target.callbackIndex;
        world.realLoadsLeft = (int) Math.max(3, calls / 40_000);
        world.realAttachesLeft = 3 * world.realLoadsLeft;
        AbiCallGenerator generator = new AbiCallGenerator(new Random(seed), LAYOUT, world);
        Memory memory = target.instance.memory();
        for (long i = 0; i < calls; i++) {
            FuzzCall call = generator.next(MEMORY);
            for (FuzzCall.Write write : call.writes()) {
                memory.write((int) write.address(), write.bytes(), 0, write.bytes().length);
            }
            long result;
            try {
                result = target.call(call);
            } catch (ChicoryException e) {
                if (call.op().abi || e.getMessage() == null || e.getMessage().isBlank()) {
                    throw failure(seed, i, call, "threw " + e, e);
                }
                stats.traps++;
                stats.calls++;
                target.checkGuards(seed, i, call, stats);
                continue;
            } catch (RuntimeException | Error e) {
                throw failure(seed, i, call, "threw untyped " + e, e);
            }
            String violation = FuzzOracle.violation(call, result, world, MEMORY);
            if (violation != null) {
                throw failure(seed, i, call, violation, null);
            }
            if (call.op() == FuzzOp.LOAD && result > 0) {
                generator.loaded(result);
                stats.realLoads++;
            }
            stats.count(call.op(), result);
            world.observe(call, result);
            if (memory.pages() != PAGES) {
                throw failure(seed, i, call, "memory changed size to " + memory.pages() + " pages", null);
            }
            target.checkGuards(seed, i, call, stats);
        }
        List<String> internalErrors = target.diagnostics.kept();
        assertEquals(List.of(), internalErrors, "internal errors reported (seed " + seed + ")");
        stats.diagnostics += target.diagnostics.count();
    }

    static AssertionError failure(long seed, long index, FuzzCall call, String what, Throwable cause) {
        return new AssertionError("seed " + seed + ", call #" + index + " " + call + ": " + what, cause);
    }

    static byte[] guardPattern(int length) {
        byte[] pattern = new byte[length];
        for (int i = 0; i < length; i++) {
            pattern[i] = (byte) (0xA5 ^ i * 31);
        }
        return pattern;
    }

    /** The instance under attack, its ABI and WASI host functions, looked up by import name. */
    static final class Target implements AutoCloseable {
        final Instance instance;
        final AbiContext abi;
        final WasiEnvironment wasi;
        final DiagnosticLines diagnostics = new DiagnosticLines(DiagnosticLines::isInternalError);
        final Map<String, HostFunction> functions = new HashMap<>();
        final byte[] objectBytes;
        final int callbackIndex;

        Target() throws Exception {
            ExecutionControl control = new ExecutionControl();
            abi = new AbiContext(
                    control,
                    new PrintStream(diagnostics, true, StandardCharsets.UTF_8),
                    AttachPolicy.of(List.of(), List.of()),
                    "go-callback");
            wasi = new WasiEnvironment(
                    List.of("rel_fuzz"),
                    Map.of(),
                    List.of(),
                    new ByteArrayInputStream(new byte[0]),
                    OutputStream.nullOutputStream(),
                    OutputStream.nullOutputStream(),
                    control);
            List<ImportFunction> offered = new ArrayList<>();
            for (HostFunction f : wasi.functions()) {
                offered.add(f);
                functions.put(f.name(), f);
            }
            for (HostFunction f : new WasmBpfImports(abi, "callback-wrapper").functions(Optional.empty())) {
                offered.add(f);
                if (f.module().equals("wasm_bpf")) {
                    functions.put(f.name(), f);
                }
            }
            for (String name : List.of("setup", "next", "arg", "result")) {
                offered.add(new HostFunction("fuzz", name, fuzzType(name), (instance, args) -> {
                    throw new IllegalStateException("the host-API fuzzer never runs the guest's main");
                }));
            }
            var module = Parser.parse(Files.readAllBytes(GuestHarness.guest("rel_fuzz")));
            instance = Instance.builder(module)
                    .withImportValues(
                            ImportValues.builder().withFunctions(offered).build())
                    .withStart(false)
                    .build();
            abi.bind(instance);
            Memory memory = instance.memory();
            memory.grow(PAGES - memory.pages());
            memory.write((int) LAYOUT.guardBefore(), GUARD, 0, GUARD.length);
            memory.write((int) LAYOUT.guardAfter(), GUARD, 0, GUARD.length);
            objectBytes = Files.readAllBytes(GuestHarness.guest("rel_fuzz").resolveSibling("ringbuf_exec.bpf.o"));
            // rel_fuzz's only (i32, i32, i32) -> i32 function in its table is on_sample; find its slot.
            callbackIndex = sampleCallbackSlot(instance);
        }

        private static FunctionType fuzzType(String name) {
            var i32 = com.dylibso.chicory.wasm.types.ValType.I32;
            var i64 = com.dylibso.chicory.wasm.types.ValType.I64;
            return switch (name) {
                case "setup" -> FunctionType.of(List.of(i32, i32, i32, i32, i32), List.of());
                case "next" -> FunctionType.of(List.of(), List.of(i32));
                case "arg" -> FunctionType.of(List.of(i32), List.of(i64));
                default -> FunctionType.of(List.of(i64), List.of());
            };
        }

        private static int sampleCallbackSlot(Instance instance) {
            var table = instance.table(0);
            for (int slot = 0; slot < table.size(); slot++) {
                int function = table.ref(slot);
                if (function >= 0
                        && instance.type(instance.functionType(function))
                                        .params()
                                        .size()
                                == 3) {
                    return slot;
                }
            }
            return 1;
        }

        long call(FuzzCall call) {
            HostFunction function = functions.get(call.op().importName);
            long[] args = Arrays.copyOf(call.args(), call.args().length);
            long[] result = function.handle().apply(instance, args);
            return call.op().abi ? result[0] : result[0] & 0xFFFF_FFFFL;
        }

        /**
         * A WASI call given a range past the end of memory may write part of it before it traps (Chicory
         * checks some bounds per chunk); that stays inside guest memory and kills the guest, so it is counted
         * and the guards restored. The wasm_bpf functions must refuse such ranges before writing anything.
         */
        void checkGuards(long seed, long index, FuzzCall call, FuzzStats stats) {
            Memory memory = instance.memory();
            if (call.lengthBeyondRoom() && !call.op().abi) {
                if (Arrays.mismatch(memory.readBytes((int) LAYOUT.guardBefore(), GUARD.length), GUARD) >= 0
                        || Arrays.mismatch(memory.readBytes((int) LAYOUT.guardAfter(), GUARD.length), GUARD) >= 0) {
                    stats.partialWasiWrites.merge(call.op(), 1L, Long::sum);
                    memory.write((int) LAYOUT.guardBefore(), GUARD, 0, GUARD.length);
                    memory.write((int) LAYOUT.guardAfter(), GUARD, 0, GUARD.length);
                }
                return;
            }
            byte[] before = memory.readBytes((int) LAYOUT.guardBefore(), GUARD.length);
            byte[] after = memory.readBytes((int) LAYOUT.guardAfter(), GUARD.length);
            int changedBefore = Arrays.mismatch(before, GUARD);
            int changedAfter = Arrays.mismatch(after, GUARD);
            if (changedBefore >= 0 || changedAfter >= 0) {
                long at =
                        changedBefore >= 0 ? LAYOUT.guardBefore() + changedBefore : LAYOUT.guardAfter() + changedAfter;
                throw failure(
                        seed,
                        index,
                        call,
                        "guard byte at 0x" + Long.toHexString(at)
                                + " changed: a write outside the buffers the call was given",
                        null);
            }
        }

        @Override
        public void close() {
            try {
                abi.close();
            } finally {
                wasi.close();
            }
        }
    }
}
