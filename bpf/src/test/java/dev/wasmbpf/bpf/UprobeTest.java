package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireFeature;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        requireFeature("uprobes (uprobe_events in tracefs)", Files.exists(Path.of("/sys/kernel/tracing/uprobe_events")));
        requireFeature("glibc at " + LIBC, Files.exists(LIBC));
        Path libc = LIBC.toRealPath();
        try (BpfObject object = BpfObject.open(testObject("uprobe"), "uprobe_test"); Arena arena = Arena.ofConfined()) {
            object.load();
            object.program("on_entry").orElseThrow().attachUprobe(false, libc, "setlocale");
            object.program("on_return").orElseThrow().attachUprobe(true, libc, "setlocale");
            BpfMap calls = object.map("calls").orElseThrow();
            awaitCondition("setlocale entry and return counted", () -> {
                runTrueVersion();
                return count(calls, arena, 0) > 0 && count(calls, arena, 1) > 0;
            });
        }
    }

    @Test
    void unknownFunctionIsAClearError() throws Exception {
        requireKernel();
        requireFeature("glibc at " + LIBC, Files.exists(LIBC));
        try (BpfObject object = BpfObject.open(testObject("uprobe"), "uprobe_test")) {
            object.load();
            BpfException e = org.junit.jupiter.api.Assertions.assertThrows(BpfException.class,
                    () -> object.program("on_entry").orElseThrow().attachUprobe(false, LIBC, "no_such_function_x"));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("no_such_function_x"), e.getMessage());
        }
    }

    private static long count(BpfMap calls, Arena arena, int which) {
        MemorySegment value = arena.allocate(JAVA_LONG);
        assertEquals(0, calls.lookup(arena.allocateFrom(JAVA_INT, which), value));
        return value.get(JAVA_LONG, 0);
    }

    private static void runTrueVersion() {
        try {
            new ProcessBuilder("/bin/true", "--version").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
