package dev.wasmbpf.runtime;

import java.util.List;
import java.util.Map;

/**
 * A running module's counters, as {@link RunningModule#stats()} reads them and {@link RunEvent.Ended} reports
 * them at the end. Counted on the guest thread and read from any other without stopping it, so a snapshot of a
 * running module may lag its guest by a call.
 *
 * @param samplesDelivered ring and perf buffer samples handed to the guest's callbacks
 * @param hostCalls the host functions the guest called at least once, in the order of their first call
 */
public record RunStats(long samplesDelivered, List<HostCalls> hostCalls) {
    /** Copies the list. */
    public RunStats {
        hostCalls = List.copyOf(hostCalls);
    }

    /**
     * The calls of one host function.
     *
     * @param module its import module, e.g. {@code wasm_bpf} or {@code wasi_snapshot_preview1}
     * @param function its import name
     * @param calls how often the guest called it
     * @param errors how often it failed, by error number: {@code -errno} returns of the {@code wasm_bpf} functions,
     *     the WASI errno of WASI functions (none counted for embedder functions)
     */
    public record HostCalls(String module, String function, long calls, Map<Integer, Long> errors) {
        /** Copies the map. */
        public HostCalls {
            errors = Map.copyOf(errors);
        }
    }
}
