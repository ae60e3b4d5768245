package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.testing.LineCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * One built example running on the runtime on its own thread, its output captured; on close it is
 * terminated and the kernel is checked for anything it left behind. The runtime's {@link GuestHarness} does
 * the work; this only finds the examples' build output.
 */
final class ExampleRun implements AutoCloseable {
    private final GuestHarness harness;

    private ExampleRun(GuestHarness harness) {
        this.harness = harness;
    }

    /** The example's built module, from the Makefile's output directory. */
    static Path wasm(String name) {
        Path path = Path.of(System.getProperty("wasmbpf.examples.wasm", "target/examples-wasm"))
                .resolve(name + ".wasm");
        assertTrue(Files.exists(path), "example not built: " + path);
        return path;
    }

    /** A file the example's Makefile built next to its module (a uprobe target, say). */
    static Path built(String example, String file) {
        Path path = Path.of(System.getProperty("wasmbpf.examples.build", "target/examples-build"))
                .resolve(example)
                .resolve(file);
        assertTrue(Files.exists(path), "not built: " + path);
        return path;
    }

    static ExampleRun start(String name, String... args) throws Exception {
        return start(name, RunConfig.builder().args(args));
    }

    static ExampleRun start(String name, RunConfig.Builder config) throws Exception {
        return start(name, wasm(name), config);
    }

    /** A module that is not one of the bundled examples (the Rust SDK's minimal guest, say). */
    static ExampleRun start(String name, Path module, RunConfig.Builder config) throws Exception {
        KernelTestSupport.requireKernel();
        return new ExampleRun(GuestHarness.start(name, module, config));
    }

    LineCollector out() {
        return harness.out();
    }

    LineCollector err() {
        return harness.err();
    }

    /** Waits (bounded, only so a failing test ends) for a line of standard output that matches. */
    String awaitLine(Predicate<String> match, String what) throws InterruptedException {
        return harness.awaitLine(match, what);
    }

    /** Waits for the example to end by itself (a count of intervals, -d, an error). */
    RunResult awaitExit() throws InterruptedException {
        return harness.awaitResult();
    }

    RunningModule running() {
        return harness.running();
    }

    /** Terminates the example if it still runs, then asserts every kernel object it created is gone. */
    @Override
    public void close() throws InterruptedException {
        harness.stopAndAssertNothingLeft();
    }
}
