package dev.wasmbpf.bpf.testing;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Starts processes whose exec the tests watch, and decodes {@code struct exec_event} (src/test/c/common.h). */
public final class ExecEvents {
    public static final int SIZE = 20;

    private ExecEvents() {}

    /** {@code struct exec_event}: u32 pid, char comm[16]. */
    public record ExecEvent(int pid, String comm) {
        public static ExecEvent of(MemorySegment sample) {
            int pid = sample.get(JAVA_INT_UNALIGNED, 0);
            byte[] comm = sample.asSlice(4, 16).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            int length = 0;
            while (length < comm.length && comm[length] != 0) {
                length++;
            }
            return new ExecEvent(pid, new String(comm, 0, length, StandardCharsets.UTF_8));
        }
    }

    /** Runs {@code /bin/true} to completion and returns its pid. */
    public static int runTrue() {
        try {
            Process process =
                    new ProcessBuilder("/bin/true").redirectErrorStream(true).start();
            int pid = (int) process.pid();
            process.waitFor();
            return pid;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
