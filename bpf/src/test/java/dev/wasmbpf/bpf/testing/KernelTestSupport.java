package dev.wasmbpf.bpf.testing;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.bpf.KernelObjects;
import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.LibbpfUnavailableException;
import dev.wasmbpf.testkit.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What kernel tests need of libbpf and the kernel: {@link #requireKernel()} (libbpf installed, bpf()
 * permitted), the accounting of kernel objects a process holds, test BPF objects. Whether a missing
 * prerequisite skips or fails is decided in one place, the testkit's {@link Prerequisites}.
 *
 * <p>Published in this module's test-jar for the runtime's tests.
 */
public final class KernelTestSupport {
    public static final String REQUIRE_KERNEL_ENV = Prerequisites.REQUIRE_ALL_ENV;
    /** Upper bound for waiting on kernel activity; never an assertion on elapsed time. */
    public static final Duration PATIENCE = Prerequisites.PATIENCE;

    private KernelTestSupport() {}

    /** Skips (or fails) unless libbpf is installed and bpf() is permitted to this process. */
    public static void requireKernel() {
        unavailableReason().ifPresent(KernelTestSupport::cannotRun);
    }

    /** Skips (or fails) with "{@code what} is not available" unless {@code available}. */
    public static void requireFeature(String what, boolean available) {
        Prerequisites.require(what, available);
    }

    /** Why kernel tests cannot run here, if they cannot. */
    public static Optional<String> unavailableReason() {
        try {
            Libbpf.ensureLoaded();
        } catch (LibbpfUnavailableException e) {
            return Optional.of(e.getMessage());
        }
        try {
            KernelObjects.snapshot();
        } catch (IllegalStateException e) {
            return Optional.of(
                    "bpf() is not permitted: " + e.getMessage() + " (run as root or with CAP_BPF+CAP_PERFMON)");
        }
        return Optional.empty();
    }

    /** Whether tracefs is mounted where libbpf looks for tracepoint ids. */
    public static boolean tracefsMounted() {
        return Files.isDirectory(Path.of("/sys/kernel/tracing/events"))
                || Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events"));
    }

    /** The cgroup v2 mount point, read from {@code /proc/self/mountinfo}. */
    public static Optional<Path> cgroup2Root() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            // "<id> <parent> <dev> <root> <mount point> <options> [optional...] - <fstype> <source> <super options>"
            String[] halves = line.split(" - ", 2);
            if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                String[] fields = halves[0].split(" ");
                if (fields.length >= 5) {
                    return Optional.of(Path.of(fields[4].replace("\\040", " ")));
                }
            }
        }
        return Optional.empty();
    }

    /** A BPF object compiled from {@code bpf/src/test/c/<name>.bpf.c} during the build. */
    public static byte[] testObject(String name) {
        String resource = "/bpf/" + name + ".bpf.o";
        try (InputStream in = KernelTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: the Maven build compiles it from src/test/c");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code condition} holds, checking it repeatedly (it should do the polling or
     * the I/O that makes progress), and fails naming {@code what} after {@link #PATIENCE}.
     */
    public static void awaitCondition(String what, BooleanSupplier condition) {
        Prerequisites.awaitCondition(what, condition);
    }

    /**
     * Asserts that this JVM holds no more BPF maps, programs, links and perf events than it did at
     * {@code before}: counted in its own fd table, so other processes loading programs meanwhile do not
     * matter, and perf events (tracepoint and kprobe attachments, which have no BPF id) count too. Waits
     * (bounded) for fds a poller thread closes a moment after the close returns.
     */
    public static void assertReleasedSince(HeldKernelObjects before, String whose) {
        awaitCondition(
                "kernel objects of " + whose + " to be released: holding " + HeldKernelObjects.ofThisProcess()
                        + ", before: " + before,
                () -> HeldKernelObjects.ofThisProcess().atMost(before));
    }

    /**
     * How many perf events process {@code pid} holds open. A tracepoint or kprobe attachment is a perf event:
     * it has no id in the kernel's BPF object lists, only an fd ({@code anon_inode:[perf_event]}) in its
     * process, so leaks of those show up here and nowhere else.
     */
    public static int perfEventFds(long pid) {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        int count = 0;
        try (var entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]")) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed while we listed: not open any more
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + fds, e);
        }
        return count;
    }

    /** {@link #perfEventFds(long)} of this JVM. */
    public static int ownPerfEventFds() {
        return perfEventFds(ProcessHandle.current().pid());
    }

    /** Waits (bounded) until this JVM holds at most {@code expected} perf events, and fails naming {@code whose}. */
    public static void assertPerfEventsReleased(int expected, String whose) {
        awaitCondition(
                "perf events of " + whose + " to be closed (open: " + ownPerfEventFds() + ", expected " + expected
                        + ")",
                () -> ownPerfEventFds() <= expected);
    }

    /**
     * The ids of the programs, maps and links process {@code pid} holds fds of, read from
     * {@code /proc/<pid>/fdinfo} ({@code prog_id:}, {@code map_id:}, {@code link_id:} lines): read them while the
     * process lives, then {@link #assertGone} after it has exited checks exactly its objects, whatever
     * other processes load meanwhile.
     */
    public static KernelObjects objectIdsHeldBy(long pid) {
        java.util.Set<Integer> programs = new java.util.HashSet<>();
        java.util.Set<Integer> maps = new java.util.HashSet<>();
        java.util.Set<Integer> links = new java.util.HashSet<>();
        Path fdinfo = Path.of("/proc", Long.toString(pid), "fdinfo");
        try (var entries = Files.newDirectoryStream(fdinfo)) {
            for (Path fd : entries) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(fd);
                } catch (IOException e) {
                    continue; // closed while we listed
                }
                for (String line : lines) {
                    String[] kv = line.split(":\\s*", 2);
                    if (kv.length == 2) {
                        switch (kv[0]) {
                            case "prog_id" -> programs.add(Integer.parseInt(kv[1].strip()));
                            case "map_id" -> maps.add(Integer.parseInt(kv[1].strip()));
                            case "link_id" -> links.add(Integer.parseInt(kv[1].strip()));
                            default -> {}
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + fdinfo, e);
        }
        return new KernelObjects(programs, maps, links);
    }

    /** Waits (bounded) until none of {@code ids} exists in the kernel any more, and fails naming {@code whose}. */
    public static void assertGone(KernelObjects ids, String whose) {
        awaitCondition(
                "kernel objects of " + whose + " to be released: " + stillThere(ids),
                () -> stillThere(ids).isEmpty());
    }

    private static KernelObjects stillThere(KernelObjects ids) {
        KernelObjects now = KernelObjects.snapshot();
        return ids.minus(ids.minus(now));
    }

    /**
     * Reads what a process reported it still held right before exiting, through the accounting channel
     * ({@link HeldKernelObjects#ACCOUNTING_ENV}), and fails unless it held nothing. No report at all fails too:
     * the process ended without reaching its orderly exit.
     */
    public static void assertReportedNothingHeld(Path accounting, String whose) {
        try {
            if (!Files.exists(accounting)) {
                throw new AssertionError(
                        whose + " wrote no kernel-object accounting before exiting (" + accounting + ")");
            }
            String report = Files.readString(accounting).strip();
            String nothing = new HeldKernelObjects(0, 0, 0, 0).toString();
            if (!report.equals(nothing)) {
                throw new AssertionError(whose + " still held kernel objects after its release: " + report);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cannotRun(String reason) {
        Prerequisites.cannotRun("kernel: " + reason);
    }
}
