package dev.wasmbpf.daemon;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@code /bin/true} in a loop on a daemon thread until closed: the exec storm under tests that check that
 * modules keep delivering while others start and end around them.
 */
final class ExecStorm implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private ExecStorm(Duration pause) {
        thread = Thread.ofPlatform().daemon().name("exec storm").start(() -> {
            while (running.get()) {
                try {
                    new ProcessBuilder("/bin/true").start().waitFor();
                    Thread.sleep(pause);
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    /** Starts the storm: one exec, then {@code pause}, again and again. */
    static ExecStorm start(Duration pause) {
        return new ExecStorm(pause);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
