package dev.wasmbpf.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** An OutputStream that collects complete lines and lets a test wait for one. */
public final class LineCollector extends OutputStream {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder all = new StringBuilder();

    @Override
    public synchronized void write(int b) {
        all.append((char) b);
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
            notifyAll();
        } else {
            partial.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String text() {
        return all.toString();
    }

    /** Waits until a line matches, up to {@code timeout}; generous timeouts only bound a failing test. */
    public synchronized Optional<String> await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (match.test(lines.get(checked))) {
                    return Optional.of(lines.get(checked));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public String awaitLine(Predicate<String> match, String what) throws InterruptedException {
        return await(match, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no line " + what + " in guest output:\n" + text()));
    }
}
