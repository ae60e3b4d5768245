package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Broken inputs get a typed answer, never a crash or a hang: mutated .wasm modules end in a
 * {@link ModuleLoadException} or a {@link RunResult}, mutated BPF ELF objects in a failed load (handle 0) and
 * nothing left in the process that loaded them (counted by that process before it exits). The per-batch time bounds only guard against hangs.
 */
class MalformedInputTest {
    private static final Duration BATCH_GUARD = Duration.ofMinutes(3);
    private static final int BATCH = 100;

    enum Outcome {
        REJECTED,
        EXITED,
        TRAPPED,
        TIMED_OUT,
        OTHER_RESULT
    }

    @Test
    void mutatedWasmModulesAreRejectedOrRunToATypedEnd() throws Exception {
        byte[] seed = Files.readAllBytes(GuestHarness.guest("rel_tiny"));
        long mutants = FuzzCorpus.size("wasmMutants", 1000);
        Mutator mutator = new Mutator(new Random(FuzzCorpus.seeds().getFirst()), WasmSections.of(seed));
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (long done = 0; done < mutants; done += BATCH) {
            long start = done;
            assertTimeoutPreemptively(
                    BATCH_GUARD,
                    () -> {
                        for (long i = start; i < Math.min(mutants, start + BATCH); i++) {
                            byte[] mutant = mutator.mutateWasm(seed);
                            outcomes.merge(runMutant(i, mutant), 1, Integer::sum);
                        }
                    },
                    "a batch of mutated modules did not finish: something hangs");
        }
        System.out.println("MalformedInputTest wasm: " + mutants + " mutants: " + outcomes);
        assertEquals(
                mutants, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(outcomes.getOrDefault(Outcome.REJECTED, 0) > 0, "no mutant was rejected: " + outcomes);
    }

    private static Outcome runMutant(long index, byte[] mutant) {
        WasmBpfModule module;
        try {
            module = WasmBpfModule.fromBytes("mutant-" + index, mutant);
        } catch (ModuleLoadException e) {
            assertNotNull(e.getMessage(), "mutant " + index);
            return Outcome.REJECTED;
        }
        // The compiler, as users run modules: it also honours termination in every loop. Chicory's interpreter
        // does not (a br_if loop spins on; mutant 8176 of seed 1 is one) and such a guest would only be
        // abandoned, its thread left spinning in this JVM (RunawayGuestTest covers that path).
        RunConfig config = RunConfig.builder()
                .engine(Engine.COMPILER)
                .timeout(Duration.ofSeconds(2))
                .maxMemoryBytes(64L << 20)
                .stdin(new ByteArrayInputStream(new byte[0]))
                .stdout(OutputStream.nullOutputStream())
                .stderr(OutputStream.nullOutputStream())
                .build();
        try {
            RunResult result = WasmBpfRuntime.run(module, config);
            return switch (result) {
                case RunResult.Exited e -> Outcome.EXITED;
                case RunResult.Trapped t -> {
                    assertTrue(
                            t.message() != null && !t.message().isBlank(),
                            "mutant " + index + " trapped without a message");
                    yield Outcome.TRAPPED;
                }
                case RunResult.TimedOut t -> Outcome.TIMED_OUT;
                default -> Outcome.OTHER_RESULT;
            };
        } catch (ModuleLoadException e) {
            assertNotNull(e.getMessage(), "mutant " + index);
            return Outcome.REJECTED;
        } catch (RuntimeException e) {
            throw new AssertionError("mutant " + index + " escaped as " + e, e);
        }
    }

    /**
     * Mutated BPF objects through the ABI's load path, in child JVMs: libbpf 1.1 (Debian 12) crashes on some
     * corrupt BTF (SIGSEGV, bpftool 7.1 too), and the load path must refuse such objects before libbpf sees
     * them (ObjectPrecheck). Should one still get through, the crash kills only the child: it is saved under
     * target/libbpf-crashes and fails the test. Every mutant must end in a refused load (handle 0) or a
     * handle that closes; the kernel must hold nothing afterwards.
     */
    @Test
    void mutatedBpfObjectsFailToLoadCleanlyAndLeaveNothingInTheKernel() throws Exception {
        KernelTestSupport.requireKernel();
        int mutants = (int) FuzzCorpus.size("elfMutants", 1000);
        long seed = FuzzCorpus.seeds().getLast();
        int refused = 0;
        int loaded = 0;
        List<Integer> crashes = new java.util.ArrayList<>();
        int next = 0;
        while (next < mutants) {
            int first = next;
            ChildRun child = assertTimeoutPreemptively(
                    BATCH_GUARD,
                    () -> ChildRun.of(seed, first, mutants),
                    "a child loading mutated BPF objects did not finish: something hangs");
            refused += child.refused;
            loaded += child.loaded;
            assertEquals(0, child.internalErrors, "internal errors reported");
            assertEquals(List.of(), child.failedCloses, "closes that did not return 0");
            if (child.crashedAt >= 0) {
                crashes.add(child.crashedAt);
                saveCrash(seed, child.crashedAt);
                next = child.crashedAt + 1;
            } else {
                assertEquals(0, child.exitCode, "the child failed: " + child.output);
                // The child's own count after its last close, taken before it exited.
                assertEquals(
                        new HeldKernelObjects(0, 0, 0, 0).toString(),
                        child.held,
                        "what the child still held after closing every handle");
                next = mutants;
            }
        }
        System.out.println("MalformedInputTest elf: " + mutants + " mutants: " + refused + " refused, " + loaded
                + " still loadable (closed again), " + crashes.size() + " crashed libbpf (SIGSEGV) at " + crashes);
        assertEquals(mutants, refused + loaded + crashes.size());
        assertTrue(refused > mutants / 2, "most mutants should be refused: " + refused + " of " + mutants);
        assertEquals(
                List.of(), crashes, "mutants that crashed the loading process (saved under target/libbpf-crashes)");
    }

    /**
     * The mutant that made libbpf 1.1 dereference corrupt BTF (three bytes of a member name changed) is
     * refused by the load path with our reader's message, before libbpf parses it. Were it to reach libbpf
     * again, this JVM would die with SIGSEGV and the build with it.
     */
    @Test
    void anObjectThatCrashedLibbpfIsRefusedBeforeLibbpfSeesIt() throws Exception {
        KernelTestSupport.requireKernel();
        byte[] object;
        // bpf's test jar holds it: through the class loader, since this class may be patched into the named module
        // dev.wasmbpf.runtime, whose Class.getResourceAsStream would look in that module only.
        try (var in = MalformedInputTest.class
                .getClassLoader()
                .getResourceAsStream("fuzz/libbpf-1.1-segv-corrupt-btf.bpf.o")) {
            assertNotNull(in, "the saved crasher is a test resource");
            object = in.readAllBytes();
        }
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        try (HostAbiFuzzTest.Target target = new HostAbiFuzzTest.Target()) {
            int at = 8192;
            target.instance.memory().write(at, object, 0, object.length);
            long handle = target.call(new FuzzCall(FuzzOp.LOAD, new long[] {at, object.length}, List.of(), false));
            assertEquals(0, handle, "the load must be refused");
            assertEquals(1, target.diagnostics.count(), "one diagnostic line");
        }
        HeldKernelObjects after = HeldKernelObjects.ofThisProcess();
        assertTrue(after.atMost(before), "a refused object left " + after + " (before: " + before + ")");
    }

    private static void saveCrash(long seed, int index) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "libbpf-crashes");
        Files.createDirectories(dir);
        byte[] object = Files.readAllBytes(GuestHarness.guest("rel_fuzz").resolveSibling("ringbuf_exec.bpf.o"));
        Files.write(
                dir.resolve("seed" + seed + "-mutant" + index + ".bpf.o"), ElfMutantLoader.mutant(seed, index, object));
    }

    /** One child JVM over mutants [first, end): what it reported, and where it died if it did. */
    static final class ChildRun {
        int refused;
        int loaded;
        int internalErrors;
        int crashedAt = -1;
        List<String> failedCloses = new java.util.ArrayList<>();
        String held = "(no HELD line)";
        int exitCode;
        String output = "";

        static ChildRun of(long seed, int first, int end) throws Exception {
            List<String> command = List.of(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Xss4m",
                    "-Dwasmbpf.test.guests=" + GuestHarness.guest("rel_fuzz").getParent(),
                    "-cp",
                    testClassPath(),
                    ElfMutantLoader.class.getName(),
                    Long.toString(seed),
                    Integer.toString(first),
                    Integer.toString(end));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .directory(Files.createTempDirectory("wasmbpf-elf-child").toFile())
                    .start();
            ChildRun run = new ChildRun();
            int tried = -1;
            StringBuilder tail = new StringBuilder();
            try (var reader = process.inputReader()) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("TRY ")) {
                        tried = Integer.parseInt(line.substring(4));
                    } else if (line.startsWith("RESULT ")) {
                        long handle = Long.parseLong(line.split(" ")[2]);
                        assertTrue(handle >= 0, line);
                        if (handle > 0) {
                            run.loaded++;
                        } else {
                            run.refused++;
                        }
                        tried = -1;
                    } else if (line.startsWith("CLOSE_FAILED ")) {
                        run.failedCloses.add(line);
                    } else if (line.startsWith("HELD ")) {
                        run.held = line.substring(5);
                    } else if (line.startsWith("INTERNAL_ERRORS ")) {
                        run.internalErrors = Integer.parseInt(line.substring(16));
                    } else if (tail.length() < 4000) {
                        tail.append(line).append('\n');
                    }
                }
            }
            run.exitCode = process.waitFor();
            run.output = tail.toString();
            if (run.exitCode != 0 && tried >= 0) {
                run.crashedAt = tried;
            }
            return run;
        }
    }

    /** The child runs on the class path: this JVM's, plus its module path when surefire put the modules there. */
    static String testClassPath() {
        String modules = System.getProperty("jdk.module.path", "");
        String classes = System.getProperty("java.class.path");
        return modules.isEmpty() ? classes : classes + java.io.File.pathSeparator + modules;
    }
}
