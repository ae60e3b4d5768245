package dev.wasmbpf.bpf;

import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLibrary;
import dev.wasmbpf.bpf.internal.LibbpfLog;

/**
 * Process-wide libbpf state: the library itself, its log output, CPU count.
 *
 * <p>libbpf's print callback is global to the process; this class installs ours the first time
 * libbpf is used and routes every line to the {@link LibbpfLogSink} set here.
 */
public final class Libbpf {
    private static volatile boolean loaded;
    private static volatile int possibleCpus;

    private Libbpf() {}

    /**
     * Finds {@code libbpf.so.1} and installs the log callback. Idempotent and cheap after the
     * first call.
     *
     * @throws LibbpfUnavailableException when the library is missing or native access is denied
     */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        LibbpfLibrary.require();
        LibbpfLog.install();
        loaded = true;
    }

    /**
     * Routes libbpf's log lines to {@code sink}; {@code null} restores the default, which prints
     * WARN and INFO lines to {@code System.err} prefixed "libbpf: " and drops DEBUG.
     */
    public static void setLogSink(LibbpfLogSink sink) {
        ensureLoaded();
        LibbpfLog.setSink(sink);
    }

    /**
     * Also hands the WARN and INFO lines libbpf prints on the calling thread to {@code observer}, besides the
     * sink (which still prints or drops them as before); {@code null} stops. A runtime running each guest on a
     * thread of its own attributes lines to guests this way. The observer runs inside libbpf's print
     * callback: it must be quick, and what it throws is reported on {@code System.err} and dropped.
     */
    public static void observeThreadLog(LibbpfLogSink observer) {
        LibbpfLog.setThreadObserver(observer);
    }

    /** {@code libbpf_num_possible_cpus()}: the CPU count per-CPU maps and perf buffers are sized by. */
    public static int possibleCpus() {
        int cpus = possibleCpus;
        if (cpus > 0) {
            return cpus;
        }
        ensureLoaded();
        cpus = LibbpfCalls.numPossibleCpus();
        if (cpus <= 0) {
            throw new IllegalStateException("libbpf_num_possible_cpus failed: " + Errno.describe(cpus));
        }
        possibleCpus = cpus;
        return cpus;
    }
}
