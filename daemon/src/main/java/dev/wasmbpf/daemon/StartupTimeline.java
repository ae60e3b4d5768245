package dev.wasmbpf.daemon;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each step of one run's start happened, as offsets from its origin: the moment the daemon took the create
 * request (or, for a restart or a module declared in the directory, decided to start the run). What
 * {@code GET /v1/modules/ID} shows as {@code startup}: where the time from "deploy" to "attached" goes, step by
 * step (docs/benchmarks.md, "Warm daemon"). Times are {@link System#nanoTime()}, which on Linux is
 * {@code CLOCK_MONOTONIC}: the same clock any other process on the node reads, so a client can line its own
 * timestamps up with {@link #originMonotonicNanos()}.
 *
 * <p>Marked from the request thread (resolved … answered) and the guest thread (object loaded … ready); read by
 * API threads. Each step is kept the first time it happens, except {@link Step#ATTACHED}, which is the last attach
 * before the run became ready.
 */
final class StartupTimeline {
    /** The steps, in the order a healthy start passes them. */
    enum Step {
        /** The source was resolved to bytes (a bundled example, a file, an OCI pull, an upload). */
        RESOLVED("resolvedMs"),
        /** The module was found compiled ({@link CompiledModules}) or parsed now. */
        COMPILED("compiledMs"),
        /** The runtime linked the imports and started the guest's thread. */
        STARTED("startedMs"),
        /** The create request's answer was handed to the HTTP server (API creates only). */
        ANSWERED("answeredMs"),
        /** The guest's {@code wasm_load_bpf_object} returned a loaded object. */
        OBJECT_LOADED("objectLoadedMs"),
        /** The guest's last program attach before it became ready. */
        ATTACHED("attachedMs"),
        /** The guest wrote its first byte of output (for bootstrap: its header line). */
        FIRST_OUTPUT("firstOutputMs"),
        /** The guest reached its event loop ({@code RunEvent.Ready}). */
        READY("readyMs");

        final String field;

        Step(String field) {
            this.field = field;
        }
    }

    private final long origin;
    /** nanoTime of each step, 0 while not reached. */
    private final long[] at = new long[Step.values().length];

    private Duration openAndLoad;

    StartupTimeline(long originNanos) {
        this.origin = originNanos;
    }

    /** A timeline starting now. */
    static StartupTimeline now() {
        return new StartupTimeline(System.nanoTime());
    }

    long originMonotonicNanos() {
        return origin;
    }

    /** Marks {@code step} now, unless it was marked already ({@link Step#ATTACHED} moves on until ready). */
    synchronized void mark(Step step) {
        mark(step, System.nanoTime());
    }

    synchronized void mark(Step step, long nanos) {
        int i = step.ordinal();
        boolean moves = step == Step.ATTACHED && at[Step.READY.ordinal()] == 0;
        if (at[i] == 0 || moves) {
            at[i] = nanos;
        }
    }

    /** How long libbpf's open and load of the (first) object took, from the runtime's ObjectLoaded event. */
    synchronized void openAndLoad(Duration took) {
        if (openAndLoad == null) {
            openAndLoad = took;
        }
    }

    /** Whether {@code step} happened. */
    synchronized boolean reached(Step step) {
        return at[step.ordinal()] != 0;
    }

    /**
     * The steps as milliseconds from the origin (null for a step not reached), the origin on the node's monotonic
     * clock, and how long libbpf's open and load took.
     */
    synchronized Map<String, Object> describe() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("originMonotonicNs", origin);
        for (Step step : Step.values()) {
            long nanos = at[step.ordinal()];
            body.put(step.field, nanos == 0 ? null : millis(nanos - origin));
        }
        body.put("libbpfOpenLoadMs", openAndLoad == null ? null : millis(openAndLoad.toNanos()));
        return body;
    }

    /** Milliseconds to the microsecond: enough to see a step of a few hundred microseconds. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
