package dev.wasmbpf.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many BPF maps, programs and links and how many perf events one process holds open, counted from its
 * fd table ({@code /proc/<pid>/fd}, whose links read {@code anon_inode:bpf-map}, {@code anon_inode:bpf-prog},
 * {@code anon_inode:bpf_link}, {@code anon_inode:[perf_event]}: the names {@code anon_inode_getfd} is given in
 * kernel/bpf/syscall.c and kernel/events/core.c).
 *
 * <p>Unlike {@link KernelObjects}, which lists every object in the kernel, this sees only the objects of one
 * process, so a leak check built on it holds while other processes load programs; and it must be read while
 * the process lives: the kernel closes a process's fds when it exits, which would hide a missing release.
 */
public record HeldKernelObjects(int maps, int programs, int links, int perfEvents) {
    /**
     * Names the environment variable of the test-only accounting channel: a process started with it set to a
     * file writes {@link #toString()} of what it still holds there, after its release and right before it exits.
     */
    public static final String ACCOUNTING_ENV = "WASM_BPF_TEST_ACCOUNTING";

    /** What process {@code pid} holds now. */
    public static HeldKernelObjects ofProcess(long pid) {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        int maps = 0;
        int programs = 0;
        int links = 0;
        int perfEvents = 0;
        try (var entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while we listed: not held any more
                }
                switch (target) {
                    case "anon_inode:bpf-map" -> maps++;
                    case "anon_inode:bpf-prog" -> programs++;
                    case "anon_inode:bpf_link" -> links++;
                    case "anon_inode:[perf_event]" -> perfEvents++;
                    default -> {}
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + fds, e);
        }
        return new HeldKernelObjects(maps, programs, links, perfEvents);
    }

    /** What this JVM holds now. */
    public static HeldKernelObjects ofThisProcess() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** Whether this holds nothing more, kind by kind, than {@code baseline}. */
    public boolean atMost(HeldKernelObjects baseline) {
        return maps <= baseline.maps
                && programs <= baseline.programs
                && links <= baseline.links
                && perfEvents <= baseline.perfEvents;
    }

    /**
     * Writes what this process holds to the file named by {@link #ACCOUNTING_ENV}, if the variable is set; a
     * test that set it reads the line back after the process has gone. Call it after every release, right
     * before exiting; a process that exits without calling it leaves no file, which the test reads as a failure.
     */
    public static void reportIfRequested() {
        String file = System.getenv(ACCOUNTING_ENV);
        if (file == null || file.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), ofThisProcess().toString() + "\n");
        } catch (IOException | UncheckedIOException e) {
            System.err.println("wasm-bpf: cannot write the test accounting to " + file + ": " + e);
        }
    }
}
