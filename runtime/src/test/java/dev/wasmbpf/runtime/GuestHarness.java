package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.testing.LineCollector;
import dev.wasmbpf.testkit.MarkerProgram;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Runs one test guest on its own thread with captured streams, and checks the kernel afterwards. */
public final class GuestHarness implements AutoCloseable {
    private final String name;
    private final RunningModule running;
    private final HeldKernelObjects before;
    private final LineCollector stdout;
    private final LineCollector stderr;
    private final PipedOutputStream stdin;

    private GuestHarness(
            String name,
            RunningModule running,
            HeldKernelObjects before,
            LineCollector stdout,
            LineCollector stderr,
            PipedOutputStream stdin) {
        this.name = name;
        this.running = running;
        this.before = before;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
    }

    public static Path guest(String name) {
        Path path = Path.of(System.getProperty("wasmbpf.test.guests", "target/test-guests"))
                .resolve(name + ".wasm");
        assertTrue(Files.exists(path), "test guest not built: " + path);
        return path;
    }

    public static GuestHarness start(String name, String... args) throws Exception {
        return start(name, RunConfig.builder().args(args));
    }

    public static GuestHarness start(String name, RunConfig.Builder config) throws Exception {
        return start(name, guest(name), config);
    }

    /** Any module (an example, say), {@code name} only naming it in failure messages. */
    public static GuestHarness start(String name, Path module, RunConfig.Builder config) throws Exception {
        HeldKernelObjects before = HeldKernelObjects.ofThisProcess();
        LineCollector out = new LineCollector();
        LineCollector err = new LineCollector();
        PipedInputStream in = new PipedInputStream(1024);
        PipedOutputStream inWriter = new PipedOutputStream(in);
        RunningModule running = WasmBpfRuntime.start(
                WasmBpfModule.fromPath(module),
                config.stdout(out).stderr(err).stdin(in).build());
        return new GuestHarness(name, running, before, out, err, inWriter);
    }

    /** Writes a little-endian int into the guest's memory: the way to release a guest spinning on a flag. */
    public void writeGuestInt(int address, int value) {
        running.guestMemory()
                .write(
                        address,
                        ByteBuffer.allocate(4)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putInt(value)
                                .array());
    }

    /** Reads a little-endian int from the guest's memory: the way to watch a guest that no longer calls out. */
    public int readGuestInt(int address) {
        return ByteBuffer.wrap(running.guestMemory().read(address, 4))
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
    }

    public RunningModule running() {
        return running;
    }

    public LineCollector out() {
        return stdout;
    }

    public LineCollector err() {
        return stderr;
    }

    public void awaitReady() throws InterruptedException {
        stdout.awaitLine("READY"::equals, "READY");
    }

    public void sendLine(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    public RunResult awaitResult() throws InterruptedException {
        return running.await(Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError(
                        name + " still running; stdout:\n" + stdout.text() + "\nstderr:\n" + stderr.text()));
    }

    /** Waits (bounded, only so a failing test ends) for a line of standard output that matches. */
    public String awaitLine(java.util.function.Predicate<String> match, String what) throws InterruptedException {
        return stdout.await(match, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no line " + what + " in " + name + "'s output:\n" + stdout.text()
                        + "\nstderr:\n" + stderr.text()));
    }

    /** Terminates the guest if it still runs, closes it, then asserts every kernel object it created is gone. */
    public void stopAndAssertNothingLeft() throws InterruptedException {
        running.terminate();
        awaitResult();
        running.close();
        assertNothingLeft();
    }

    /**
     * Asserts that this JVM holds no more BPF maps, programs, links and perf events than when the guest started
     * (its own fds: other processes' activity does not count, perf-event attachments do).
     */
    public void assertNothingLeft() {
        assertNothingLeftOf(name);
    }

    public static void assertNothingLeftSince(HeldKernelObjects before) {
        KernelTestSupport.assertReleasedSince(before, "the guest");
    }

    private void assertNothingLeftOf(String whose) {
        KernelTestSupport.assertReleasedSince(before, whose);
    }

    @Override
    public void close() {
        running.close();
    }

    /** Copies /bin/true to a fresh path whose name is the marker, and execs it; returns its pid. */
    public static long execMarker(String marker) throws IOException, InterruptedException {
        MarkerProgram program = MarkerProgram.createNamed(marker);
        long pid = program.run();
        program.delete();
        return pid;
    }

    public static String uniqueMarker(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }
}
