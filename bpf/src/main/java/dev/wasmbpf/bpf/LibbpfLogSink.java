package dev.wasmbpf.bpf;

/**
 * Receives libbpf's log lines (one message per call, the leading {@code "libbpf: "} and the
 * trailing newline removed). Called on the thread that made the libbpf call, from inside a native
 * upcall: it must be quick; an exception it throws is reported on {@code System.err} and dropped.
 */
@FunctionalInterface
public interface LibbpfLogSink {
    void log(LibbpfLogLevel level, String message);
}
