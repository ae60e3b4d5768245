package dev.wasmbpf.runtime;

import java.time.Duration;
import java.util.List;

/** How a module run ended. */
public sealed interface RunResult {
    /**
     * The process exit status this result maps to (the ABI spec's rules).
     *
     * @return 0..255
     */
    int exitCode();

    /**
     * {@code main} returned or the guest called {@code proc_exit}.
     *
     * @param exitCode the guest's exit code, already masked to 0..255
     */
    record Exited(int exitCode) implements RunResult {}

    /**
     * The guest trapped (unreachable, out-of-bounds access, stack exhaustion, a failing host function…).
     *
     * @param message the trap's message
     * @param wasmStackTrace the guest's frames, innermost first (may be empty)
     */
    record Trapped(String message, List<String> wasmStackTrace) implements RunResult {
        /** Copies the stack trace. */
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

    /** Exit status of a run stopped by {@link RunConfig#timeout()} (as timeout(1) uses). */
    int TIMED_OUT_EXIT_CODE = 124;
    /** Exit status of a run that trapped after its memory limit refused to grow memory. */
    int MEMORY_LIMIT_EXIT_CODE = 125;

    /**
     * Still running when {@link RunConfig#timeout()} expired: terminated, everything released.
     *
     * @param timeout the limit that expired
     */
    record TimedOut(Duration timeout) implements RunResult {
        @Override
        public int exitCode() {
            return TIMED_OUT_EXIT_CODE;
        }
    }

    /**
     * The guest trapped after {@code memory.grow} was refused by {@link RunConfig#maxMemoryBytes()} (typically
     * an abort after malloc returned NULL). A guest that handles the refusal and exits gets {@link Exited}.
     *
     * @param limitBytes the memory limit
     * @param trapMessage the message of the trap that followed
     */
    record MemoryLimitExceeded(long limitBytes, String trapMessage) implements RunResult {
        @Override
        public int exitCode() {
            return MEMORY_LIMIT_EXIT_CODE;
        }
    }
}
