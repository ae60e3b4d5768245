package dev.wasmbpf.runtime;

import java.util.List;

/** How a module run ended. */
public sealed interface RunResult {
    /** The process exit status this result maps to (the ABI spec's rules). */
    int exitCode();

    /** {@code main} returned or the guest called {@code proc_exit}; the code is already masked to 0..255. */
    record Exited(int exitCode) implements RunResult {}

    /** The guest trapped (unreachable, out-of-bounds access, stack exhaustion, a failing host function…). */
    record Trapped(String message, List<String> wasmStackTrace) implements RunResult {
        public Trapped {
            wasmStackTrace = List.copyOf(wasmStackTrace);
        }

        @Override
        public int exitCode() {
            return 1;
        }
    }

    /** Stopped by {@link RunningModule#terminate()} (or a signal in the CLI). */
    record Terminated() implements RunResult {
        @Override
        public int exitCode() {
            return 0;
        }
    }
}
