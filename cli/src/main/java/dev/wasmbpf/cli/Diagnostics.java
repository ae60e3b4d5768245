package dev.wasmbpf.cli;

/** Errors for people: one line on stderr, the Java stack trace only with --verbose. */
final class Diagnostics {
    private final boolean verbose;

    Diagnostics(boolean verbose) {
        this.verbose = verbose;
    }

    int fail(String message, Throwable cause, int exitCode) {
        System.err.println("wasm-bpf: " + message);
        if (verbose && cause != null) {
            cause.printStackTrace(System.err);
        }
        return exitCode;
    }
}
