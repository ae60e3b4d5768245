package dev.wasmbpf.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A module running on its own thread. Pause, resume and terminate take effect at the guest's next host call
 * (terminate also at its next loop back-edge or call in Wasm code). Closing terminates it and waits until
 * every kernel object it created is released.
 */
public final class RunningModule implements AutoCloseable {
    /** Wasm code recurses on the JVM stack; give guests more than a default thread has. */
    private static final long GUEST_STACK_BYTES = 16L << 20;

    private final GuestRun run;
    /** How long a guest may ignore termination before it is abandoned. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final AtomicBoolean stopWatched = new AtomicBoolean();
    private final Thread thread;
    /** The guest thread's CPU time when its run ended; -1 while it runs (then read live). */
    private volatile long endCpuNanos = -1;

    private RunningModule(GuestRun run) {
        this.run = run;
        this.thread = new Thread(null, this::execute, "wasm-bpf " + run.moduleName(), GUEST_STACK_BYTES);
    }

    static RunningModule start(GuestRun run) {
        RunningModule running = new RunningModule(run);
        running.thread.start();
        Duration timeout = run.timeout();
        if (timeout != null) {
            // The delayed task only holds the control until it fires; a module done by then is left alone.
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> {
                        if (!running.result.isDone()) {
                            run.control().timeOut();
                            running.watchTheStop();
                        }
                    });
        }
        return running;
    }

    private void execute() {
        try {
            result.complete(run.execute());
        } catch (Throwable t) {
            result.completeExceptionally(t);
        } finally {
            endCpuNanos = ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()
                    ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                    : 0;
        }
    }

    /**
     * CPU time the guest's thread used so far: its Wasm code, its host calls and the callbacks of its buffer
     * polls all run on it. Read live while it runs, kept when it ends.
     *
     * @return the thread's CPU time; zero where the JVM cannot measure thread CPU time
     */
    public Duration cpuTime() {
        long ended = endCpuNanos;
        if (ended >= 0) {
            return Duration.ofNanos(ended);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(thread.threadId()) : -1;
        // -1: not started yet, or ended between the two reads (then endCpuNanos is set).
        return Duration.ofNanos(nanos >= 0 ? nanos : Math.max(0, endCpuNanos));
    }

    /**
     * Size of the guest's linear memory now (it only grows).
     *
     * @return bytes; 0 before the module is instantiated
     */
    public long memoryBytes() {
        dev.wasmbpf.runtime.GuestMemory memory = run.guestMemory();
        return memory == null ? 0 : memory.size();
    }

    /** Pauses the guest at its next host call (a poll waiting for events pauses within 100 ms). */
    public void pause() {
        run.control().pause();
    }

    /** Lets a paused guest go on. */
    public void resume() {
        run.control().resume();
    }

    /**
     * Whether the guest is paused (or will be at its next host call).
     *
     * @return true between {@link #pause()} and {@link #resume()}
     */
    public boolean isPaused() {
        return run.control().isPaused();
    }

    /**
     * Requests termination; returns at once. Use {@link #await()} to wait for the cleanup. A guest that
     * ignores the request for {@link #STOP_GRACE} outside host calls (see {@link GuestRun#abandon}) is
     * abandoned: its kernel objects are released and the run ends as terminated.
     */
    public void terminate() {
        terminate(STOP_GRACE);
    }

    /**
     * As {@link #terminate()}, with another grace period before a guest that ignores the request is abandoned
     * (a daemon's {@code stop?time=}).
     *
     * @param grace how long the guest may ignore termination outside host calls; zero abandons it at once
     */
    public void terminate(Duration grace) {
        run.control().terminate();
        watchTheStop(grace);
    }

    private void watchTheStop() {
        watchTheStop(STOP_GRACE);
    }

    private void watchTheStop(Duration grace) {
        if (stopWatched.compareAndSet(false, true)) {
            checkTheStopLater(grace);
        }
    }

    private void checkTheStopLater(Duration grace) {
        CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (result.isDone()) {
                return;
            }
            if (run.control().inHostCall()) {
                // Stuck in a guest callback under a host call: native frames (a ring buffer poll) still use the
                // objects, so they can't be released from here. Look again later.
                checkTheStopLater(STOP_GRACE);
                return;
            }
            result.complete(run.abandon(grace));
        });
    }

    /** The guest's memory, for tests in this package that must reach into a guest that no longer calls out. */
    dev.wasmbpf.runtime.GuestMemory guestMemory() {
        return run.guestMemory();
    }

    /**
     * Waits until the guest is in its event loop, so that activity from now on reaches the programs it
     * attached. Ready means the guest's first {@code wasm_bpf_buffer_poll}; a guest that never polls a buffer is
     * ready at its first sleep (WASI {@code poll_oneoff}) after attaching a program (see {@link RunEvent.Ready}).
     * Once ready, a module stays ready, even after it ended.
     *
     * @param timeout how long to wait at most
     * @return true when ready; false when {@code timeout} passed and the module is still running but not ready
     * @throws IllegalStateException when the module ended without becoming ready (it exited, trapped or was
     *     terminated first; {@link #await()} says how)
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return run.monitor().awaitReady(timeout);
    }

    /**
     * Whether the guest has reached its event loop (see {@link #awaitReady}).
     *
     * @return true once ready
     */
    public boolean isReady() {
        return run.monitor().isReady();
    }

    /**
     * The module's counters now: samples delivered, host calls by function and error number.
     *
     * @return a snapshot
     */
    public RunStats stats() {
        return run.monitor().stats();
    }

    /**
     * The name of the module, as {@link WasmBpfModule#name()}: argv[0] of the guest and the prefix of its host
     * messages.
     *
     * @return the name
     */
    public String name() {
        return run.moduleName();
    }

    /**
     * Whether the module has ended and released everything.
     *
     * @return true once {@link #await()} would return at once
     */
    public boolean isDone() {
        return result.isDone();
    }

    /**
     * Waits for the module to end.
     *
     * @return how it ended
     * @throws InterruptedException when interrupted while waiting (the module runs on)
     */
    public RunResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("guest thread failed", e.getCause());
        }
    }

    /**
     * Waits up to {@code timeout} for the module to end.
     *
     * @param timeout how long to wait at most
     * @return how it ended; empty if it is still running
     * @throws InterruptedException when interrupted while waiting (the module runs on)
     */
    public Optional<RunResult> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("guest thread failed", e.getCause());
        }
    }

    /** Waits without being interruptible: used when the caller must not leave before cleanup is done. */
    RunResult awaitUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Terminates the module and waits until it has released everything. */
    @Override
    public void close() {
        terminate();
        awaitUninterruptibly();
    }
}
