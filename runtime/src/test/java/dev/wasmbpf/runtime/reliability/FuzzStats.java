package dev.wasmbpf.runtime.reliability;

import java.util.EnumMap;
import java.util.Map;

/** What a fuzzing run did: calls per import, how many succeeded, failed with an errno, or trapped. */
final class FuzzStats {
    long calls;
    long successes;
    long errnos;
    long traps;
    long realLoads;
    long diagnostics;
    long restarts;
    final Map<FuzzOp, Long> perOp = new EnumMap<>(FuzzOp.class);
    /** WASI calls that wrote part of an out-of-bounds range before trapping (inside guest memory). */
    final Map<FuzzOp, Long> partialWasiWrites = new EnumMap<>(FuzzOp.class);

    void count(FuzzOp op, long result) {
        calls++;
        perOp.merge(op, 1L, Long::sum);
        boolean failed = op.abi ? result < 0 || (op == FuzzOp.LOAD && result == 0) : result != 0;
        if (failed) {
            errnos++;
        } else {
            successes++;
        }
    }

    @Override
    public String toString() {
        return calls + " calls (" + successes + " succeeded, " + errnos + " errno, " + traps + " typed traps, "
                + realLoads + " real loads, " + restarts + " guest restarts, " + diagnostics + " diagnostic lines) "
                + perOp + "; partial WASI writes before a trap: " + partialWasiWrites;
    }
}
