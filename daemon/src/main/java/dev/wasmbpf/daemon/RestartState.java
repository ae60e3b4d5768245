package dev.wasmbpf.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One module's restart bookkeeping, read by {@code inspect} and written by the {@link Restarter}: how many times it
 * was restarted, how its last run ended, whether a restart is pending, and the backoff streak.
 *
 * <p>Invariant that makes {@code stop}/{@code rm} safe against a restart firing at the same moment: a restart starts
 * its run while holding {@link #starting}, and {@link #cancel()} takes the same lock. So once {@code cancel()}
 * returns, either the new run already started (and the caller stops it like any running module) or no run will
 * ever start again.
 */
final class RestartState {
    /** Held while a restart checks {@link #cancelled} and starts the new run. */
    final ReentrantLock starting = new ReentrantLock();

    private boolean cancelled;
    private boolean pending;
    private int count;
    private int streak;
    private Map<String, Object> lastExit;

    /** Restarts done so far (each one a new run of the same module, same id and name). */
    synchronized int count() {
        return count;
    }

    /** How the previous run ended ({@code exitCode}, {@code kind}, {@code message}), or null before the first end. */
    synchronized Map<String, Object> lastExit() {
        return lastExit;
    }

    /** A restart is scheduled or starting: the module's state is {@code restarting}. */
    synchronized boolean pending() {
        return pending;
    }

    synchronized boolean cancelled() {
        return cancelled;
    }

    synchronized void ended(Map<String, Object> exit) {
        lastExit = exit;
    }

    /**
     * Schedules the next restart unless cancelled; returns the backoff delay, or null when cancelled.
     *
     * @param ran how long the run that just ended ran: a run longer than {@code resetAfter} starts the backoff over
     */
    synchronized Duration schedule(Duration ran, Duration resetAfter, Duration first, Duration max) {
        if (cancelled) {
            return null;
        }
        if (ran.compareTo(resetAfter) >= 0) {
            streak = 0;
        }
        Duration delay = Restarter.backoff(streak, first, max);
        streak++;
        pending = true;
        return delay;
    }

    /** The restart's run started (called with {@link #starting} held). */
    synchronized void restarted() {
        count++;
        pending = false;
    }

    /** The restart could not start a run: no longer pending, and no further restarts. */
    synchronized void gaveUp(Map<String, Object> why) {
        pending = false;
        cancelled = true;
        lastExit = why;
    }

    /**
     * No more restarts (stop, rm, the declared file removed, the daemon stopping). Waits for a restart that is
     * starting right now to finish starting; returns whether a restart was pending.
     */
    boolean cancel() {
        starting.lock();
        try {
            synchronized (this) {
                boolean was = pending;
                cancelled = true;
                pending = false;
                return was;
            }
        } finally {
            starting.unlock();
        }
    }
}
