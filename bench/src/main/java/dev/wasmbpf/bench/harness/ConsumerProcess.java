package dev.wasmbpf.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bootstrap consumer (native or ours) under measurement: started, watched line by line, stopped.
 * Counts every event line, and separately the EXEC/EXIT lines of the storm target's name.
 */
final class ConsumerProcess implements AutoCloseable {
    private final Process process;
    private final long startNanos;
    private final CountDownLatch attached = new CountDownLatch(1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong targetEvents = new AtomicLong();
    private final String targetComm;
    private final StringBuilder stderr = new StringBuilder();
    private volatile long attachedNanos;
    private volatile ProcStats attachedStats;

    private ConsumerProcess(List<String> command, Map<String, String> environment, Path directory, String targetComm)
            throws IOException {
        this.targetComm = targetComm;
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        this.startNanos = System.nanoTime();
        this.process = builder.start();
        Thread.ofPlatform().daemon().name("consumer-stdout").start(this::readStdout);
        Thread.ofPlatform().daemon().name("consumer-stderr").start(this::readStderr);
    }

    static ConsumerProcess start(
            List<String> command, Map<String, String> environment, Path directory, String targetComm)
            throws IOException {
        return new ConsumerProcess(command, environment, directory, targetComm);
    }

    /** Waits for the header line (printed right after attach); the time from process start to it. */
    Duration awaitAttached(Duration timeout) throws InterruptedException {
        if (!attached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("consumer did not attach within " + timeout + "; exited="
                    + !process.isAlive() + " stderr:\n" + stderr());
        }
        return Duration.ofNanos(attachedNanos - startNanos);
    }

    /** The consumer's CPU ticks when its header line arrived. */
    long attachCpuTicks() {
        return attachedStats.cpuTicks();
    }

    long pid() {
        return process.pid();
    }

    ProcStats stats() {
        return ProcStats.of(process.pid());
    }

    long events() {
        return events.get();
    }

    long targetEvents() {
        return targetEvents.get();
    }

    /** Waits until {@code expected} target events arrived or none arrived for {@code quiet}. */
    void awaitTargetEvents(long expected, Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline && targetEvents.get() < expected) {
            long now = targetEvents.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > quiet.toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private void readStdout() {
        try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (attachedNanos == 0 && line.startsWith("TIME ")) {
                    attachedNanos = System.nanoTime();
                    // CPU to attach: much less disturbed by other load on the machine than wall time.
                    attachedStats = ProcStats.of(process.pid());
                    attached.countDown();
                    continue;
                }
                count(line);
            }
        } catch (IOException e) {
            // The process went away: counting stops.
        }
    }

    private void count(String line) {
        String[] fields = line.trim().split("\\s+", 4);
        if (fields.length < 3 || !(fields[1].equals("EXEC") || fields[1].equals("EXIT"))) {
            return;
        }
        events.incrementAndGet();
        if (fields[2].equals(targetComm)) {
            targetEvents.incrementAndGet();
        }
    }

    private void readStderr() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderr) {
                    if (stderr.length() < 20_000) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // The process went away.
        }
    }

    /**
     * SIGTERM (both consumers release everything on it), then SIGKILL if it hangs. Generous: the
     * launcher's AOT training run writes its cache while it exits.
     */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
