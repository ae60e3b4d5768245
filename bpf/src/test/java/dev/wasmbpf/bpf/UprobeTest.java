package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireFeature;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbpf.bpf.link.UprobeTarget;
import dev.wasmbpf.testkit.MarkerProgram;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** uprobe and uretprobe on libc's setlocale, which {@code /bin/true --version} calls. */
class UprobeTest {
    private static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");

    @Test
    void uprobeAndUretprobeCountCallsOfAProcessWeStart() throws Exception {
        requireKernel();
        requireFeature(
                "uprobes (uprobe_events in tracefs)", Files.exists(Path.of("/sys/kernel/tracing/uprobe_events")));
        requireFeature("glibc at " + LIBC, Files.exists(LIBC));
        Path libc = LIBC.toRealPath();
        try (BpfObject object = BpfObject.open(testObject("uprobe"), "uprobe_test");
                Arena arena = Arena.ofConfined()) {
            object.load();
            object.program("on_entry").orElseThrow().attachUprobe(UprobeTarget.entry(libc, "setlocale"));
            object.program("on_return").orElseThrow().attachUprobe(UprobeTarget.exit(libc, "setlocale"));
            BpfMap calls = object.map("calls").orElseThrow();
            // Only the marker's calls count (the program compares the comm): setlocale is called by every
            // process that starts, and those must not make this test pass.
            MarkerProgram marker = MarkerProgram.create("uprb");
            MemorySegment comm = arena.allocate(16);
            comm.copyFrom(MemorySegment.ofArray(marker.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertEquals(0, object.map("target_comm").orElseThrow().update(arena.allocateFrom(JAVA_INT, 0), comm, 0));
            try {
                assertEquals(0, count(calls, arena, 0), "counted before the marker ran");
                awaitCondition("setlocale entry and return of " + marker.name() + " counted", () -> {
                    runVersion(marker);
                    return count(calls, arena, 0) > 0 && count(calls, arena, 1) > 0;
                });
            } finally {
                marker.delete();
            }
        }
    }

    @Test
    void unknownFunctionIsAClearError() throws Exception {
        requireKernel();
        requireFeature("glibc at " + LIBC, Files.exists(LIBC));
        try (BpfObject object = BpfObject.open(testObject("uprobe"), "uprobe_test")) {
            object.load();
            BpfException e = org.junit.jupiter.api.Assertions.assertThrows(
                    BpfException.class,
                    () -> object.program("on_entry")
                            .orElseThrow()
                            .attachUprobe(UprobeTarget.entry(LIBC, "no_such_function_x")));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("no_such_function_x"), e.getMessage());
        }
    }

    private static long count(BpfMap calls, Arena arena, int which) {
        MemorySegment value = arena.allocate(JAVA_LONG);
        assertEquals(0, calls.lookup(arena.allocateFrom(JAVA_INT, which), value));
        return value.get(JAVA_LONG, 0);
    }

    /** Runs the marker (a copy of /bin/true) with --version: coreutils calls setlocale first thing in main. */
    private static void runVersion(MarkerProgram marker) {
        try {
            new ProcessBuilder(marker.path().toString(), "--version")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
