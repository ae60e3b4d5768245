package dev.wasmbpf.runtime.internal;

import dev.wasmbpf.runtime.RunEvent;
import dev.wasmbpf.runtime.RunEventListener;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run's events and counters: hands {@link RunEvent}s to the configured listener (an exception it throws
 * goes to the run's stderr, never to the guest), recognises readiness, and keeps the counts behind
 * {@link RunStats}. Not API: the runtime's layers share it across packages.
 *
 * <p>The per-call paths ({@link #bufferPolled}, {@link #slept}, {@link #samplesDelivered}, the counters) are
 * run by the guest thread only and allocate nothing.
 */
public final class RunMonitor {
    private final String module;
    private final RunEventListener listener;
    private final PrintStream fallback;
    /** Counted down when the run becomes ready or ends, whichever comes first. */
    private final CountDownLatch settled = new CountDownLatch(1);

    private final List<HostCallCounter> counters = new CopyOnWriteArrayList<>();
    private volatile boolean ready;
    private volatile RunResult ended;
    private int attachedPrograms;
    private volatile long samples;

    public RunMonitor(String module, RunEventListener listener, PrintStream fallback) {
        this.module = Objects.requireNonNull(module);
        this.listener = Objects.requireNonNull(listener);
        this.fallback = Objects.requireNonNull(fallback);
    }

    public String module() {
        return module;
    }

    /** Hands an event to the listener; what the listener throws is reported, not passed on. */
    public void emit(RunEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            fallback.println("wasm-bpf: " + module + ": event listener failed on "
                    + event.getClass().getSimpleName() + ": " + e);
            fallback.flush();
        }
    }

    /** A program was attached: reported, and counted for {@link #slept}. */
    public void programAttached(String program, String section, String target) {
        attachedPrograms++;
        emit(new RunEvent.ProgramAttached(module, program, section, target));
    }

    /** The guest starts a buffer poll: the first one makes it ready. */
    public void bufferPolled() {
        if (!ready) {
            becomeReady(RunEvent.Ready.Via.BUFFER_POLL);
        }
    }

    /** The guest sleeps (WASI poll_oneoff): ready if it attached something and never polled a buffer. */
    public void slept() {
        if (!ready && attachedPrograms > 0) {
            becomeReady(RunEvent.Ready.Via.SLEEP_AFTER_ATTACH);
        }
    }

    private void becomeReady(RunEvent.Ready.Via via) {
        ready = true;
        // The event first: a listener learns of readiness no later than a caller of awaitReady.
        emit(new RunEvent.Ready(module, via));
        settled.countDown();
    }

    /** Samples one poll handed to the guest: counted once per poll, not per sample. */
    public void samplesDelivered(int count) {
        if (count > 0) {
            samples += count; // guest thread only
        }
    }

    /** A counter for one host function, listed in {@link #stats()} once called. */
    public HostCallCounter counter(String importModule, String function) {
        return new HostCallCounter(importModule, function, counters);
    }

    /** The run has ended and released everything: the last event. */
    public void ended(RunResult result) {
        ended = result;
        settled.countDown();
        emit(new RunEvent.Ended(module, result, stats()));
    }

    /**
     * Waits until the run is ready or has ended.
     *
     * @return true when ready, false when {@code timeout} passed first
     * @throws IllegalStateException when the run ended without becoming ready
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        boolean settledInTime = settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (ready) {
            return true;
        }
        if (!settledInTime) {
            return false;
        }
        throw new IllegalStateException(module + " ended before it was ready (it never polled a buffer, nor slept"
                + " after attaching a program): " + ended);
    }

    public boolean isReady() {
        return ready;
    }

    public RunStats stats() {
        List<RunStats.HostCalls> calls = new ArrayList<>();
        for (HostCallCounter counter : counters) {
            calls.add(counter.snapshot());
        }
        return new RunStats(samples, calls);
    }
}
