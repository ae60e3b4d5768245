package dev.wasmbpf.runtime.internal;

import dev.wasmbpf.runtime.RunStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Calls and failures of one host function. Written by the guest thread only (opaque writes: no fence, no
 * allocation after the first failure) and read by any thread.
 */
public final class HostCallCounter {
    /** Errnos above this share the last slot: Linux's go up to 133, WASI's to 76. */
    private static final int ERRNO_SLOTS = 256;

    private final String module;
    private final String function;
    private final List<HostCallCounter> listed;
    private final AtomicLongArray calls = new AtomicLongArray(1);
    private volatile AtomicLongArray errors;

    HostCallCounter(String module, String function, List<HostCallCounter> listed) {
        this.module = module;
        this.function = function;
        this.listed = listed;
    }

    public void called() {
        long before = calls.getPlain(0);
        if (before == 0) {
            // First call: list the function, so stats name only functions the guest used, in order of use.
            listed.add(this);
        }
        calls.setOpaque(0, before + 1);
    }

    /** A failed call; {@code errno} positive. */
    public void failed(int errno) {
        AtomicLongArray counts = errors;
        if (counts == null) {
            counts = new AtomicLongArray(ERRNO_SLOTS);
            errors = counts;
        }
        int slot = Math.min(errno, ERRNO_SLOTS - 1);
        counts.setOpaque(slot, counts.getPlain(slot) + 1);
    }

    RunStats.HostCalls snapshot() {
        Map<Integer, Long> failures = new LinkedHashMap<>();
        AtomicLongArray counts = errors;
        if (counts != null) {
            for (int errno = 0; errno < ERRNO_SLOTS; errno++) {
                long count = counts.getOpaque(errno);
                if (count > 0) {
                    failures.put(errno, count);
                }
            }
        }
        return new RunStats.HostCalls(module, function, calls.getOpaque(0), failures);
    }
}
