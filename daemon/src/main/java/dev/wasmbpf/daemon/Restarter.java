package dev.wasmbpf.daemon;

import dev.wasmbpf.runtime.RunResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Restart policies, as Docker's: {@code no} never restarts, {@code on-failure} restarts a run that ended with a
 * non-zero status (a trap, a time-out, a memory limit, {@code proc_exit(n≠0)}), {@code always} restarts every run
 * that ended by itself. A run ended by {@code stop} or {@code rm} is never restarted.
 *
 * <p>The restart waits a capped exponential backoff ({@link #FIRST_DELAY} doubling to {@link #MAX_DELAY}) so a
 * module that fails at once does not spin; a run that lasted {@link #RESET_AFTER} or more starts the backoff over.
 * Meanwhile the module's state is {@code restarting}. It is restarted in place (same id, name, output log), from the
 * bytes resolved when it was created. Restarts are triggered by the run's {@code Ended} event, which the runtime
 * sends only after the run released its kernel objects, so the old run's programs, maps and links are gone before
 * the new run loads its own.
 */
final class Restarter implements AutoCloseable {
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private final ModuleTable table;
    /** One thread: restarts are rare, and a start (compiling the module) is better not done twice at once. */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wasm-bpf-restarter").daemon().factory());

    Restarter(ModuleTable table) {
        this.table = table;
        table.onEnded(this::ended);
    }

    /** Whether {@code policy} restarts a run that ended with {@code result}. */
    static boolean restarts(String policy, RunResult result) {
        return switch (policy) {
            case "always" -> true;
            case "on-failure" -> result.exitCode() != 0;
            default -> false;
        };
    }

    /** The delay before the restart after {@code streak} quick restarts in a row: first · 2^streak, at most max. */
    static Duration backoff(int streak, Duration first, Duration max) {
        if (streak >= 62 || first.toNanos() << streak > max.toNanos() || first.toNanos() << streak <= 0) {
            return max;
        }
        return Duration.ofNanos(first.toNanos() << streak);
    }

    /** On the ended run's guest thread: records how it ended and schedules a restart if the policy says so. */
    private void ended(ManagedModule module) {
        RunResult result = module.result();
        if (result == null) {
            return;
        }
        module.restarts.ended(ManagedModule.describe(result));
        if (module.stopRequested() || !restarts(module.spec.restartPolicy(), result)) {
            return;
        }
        Duration delay = module.restarts.schedule(module.lastRunTime(), RESET_AFTER, FIRST_DELAY, MAX_DELAY);
        if (delay == null) {
            return;
        }
        Daemon.log("module " + module.id + " (" + module.name + ") restarting in " + delay.toMillis() + " ms (policy "
                + module.spec.restartPolicy() + ", exit " + result.exitCode() + ")");
        try {
            scheduler.schedule(() -> restart(module), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The daemon is stopping.
            module.restarts.cancel();
        }
    }

    private void restart(ManagedModule module) {
        RestartState state = module.restarts;
        state.starting.lock();
        try {
            if (state.cancelled() || !state.pending()) {
                return;
            }
            // The Ended event came after the release; wait (bounded: a stop must not wait behind this for long) for
            // the old run's thread to be finished too.
            module.running().await(RESET_AFTER);
            table.startRun(module);
            state.restarted();
            Daemon.log("module " + module.id + " (" + module.name + ") restarted (restart " + state.count() + ")");
        } catch (RuntimeException e) {
            Map<String, Object> why = new LinkedHashMap<>();
            why.put("exitCode", null);
            why.put("kind", "restart-failed");
            why.put("message", e.getMessage());
            state.gaveUp(why);
            Daemon.log("module " + module.id + " (" + module.name + ") not restarted: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state.starting.unlock();
        }
    }

    /**
     * Drops the scheduled restarts. Called after {@link ModuleTable#close()}, which cancelled every module's restarts
     * (waiting for one being started) and stopped every run.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
