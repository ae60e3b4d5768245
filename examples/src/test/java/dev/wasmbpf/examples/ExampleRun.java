package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import dev.wasmbpf.runtime.testing.LineCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * One built example running on the runtime on its own thread, its output captured; on close it is
 * terminated and the kernel is checked for anything it left behind.
 */
final class ExampleRun implements AutoCloseable {
    private final String name;
    private final RunningModule running;
    private final HeldKernelObjects before;
    private final LineCollector stdout;
    private final LineCollector stderr;

    private ExampleRun(String name, RunningModule running, HeldKernelObjects before, LineCollector stdout,
            LineCollector stderr) {
        this.name = name;
        this.running = running;
        this.before = before;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The example's built module, from the Makefile's output directory. */
    static Path wasm(String name) {
        Path path = Path.of(System.getProperty("wasmbpf.examples.wasm", "target/examples-wasm")).resolve(name + ".wasm");
        assertTrue(Files.exists(path), "example not built: " + path);
        return path;
    }

    /** A file the example's Makefile built next to its module (a uprobe target, say). */
    static Path built(String example, String file) {
        Path path = Path.of(System.getProperty("wasmbpf.examples.build", "target/examples-build"))
                .resolve(example).resolve(file);
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
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        LineCollector out = new LineCollector();
        LineCollector err = new LineCollector();
        RunningModule running = WasmBpfRuntime.start(WasmBpfModule.fromPath(module),
                config.stdout(out).stderr(err).build());
        return new ExampleRun(name, running, before, out, err);
    }

    LineCollector out() {
        return stdout;
    }

    LineCollector err() {
        return stderr;
    }

    /** Waits (bounded, only so a failing test ends) for a line of standard output that matches. */
    String awaitLine(Predicate<String> match, String what) throws InterruptedException {
        return stdout.await(match, Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError(
                "no line " + what + " in " + name + "'s output:\n" + stdout.text() + "\nstderr:\n" + stderr.text()));
    }

    /** Waits for the example to end by itself (a count of intervals, -d, an error). */
    RunResult awaitExit() throws InterruptedException {
        return running.await(Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError(
                name + " still running; stdout:\n" + stdout.text() + "\nstderr:\n" + stderr.text()));
    }

    RunningModule running() {
        return running;
    }

    /** Terminates the example if it still runs, then asserts every kernel object it created is gone. */
    @Override
    public void close() throws InterruptedException {
        running.terminate();
        awaitExit();
        running.close();
        KernelTestSupport.assertReleasedSince(before, name);
    }
}
