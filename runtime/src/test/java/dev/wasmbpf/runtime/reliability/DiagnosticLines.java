package dev.wasmbpf.runtime.reliability;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A stderr for hostile guests: counts the host's diagnostic lines and keeps only the few that matter (a
 * million refused calls would otherwise make gigabytes of "failed to open BPF object").
 */
final class DiagnosticLines extends OutputStream {
    private final Predicate<String> keep;
    private final StringBuilder line = new StringBuilder();
    private final List<String> kept = new ArrayList<>();
    private long count;

    DiagnosticLines(Predicate<String> keep) {
        this.keep = keep;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            count++;
            String text = line.toString();
            if (keep.test(text) && kept.size() < 100) {
                kept.add(text);
            }
            line.setLength(0);
        } else if (line.length() < 10_000) {
            line.append((char) (b & 0xFF));
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    synchronized long count() {
        return count;
    }

    synchronized List<String> kept() {
        return List.copyOf(kept);
    }

    static boolean isInternalError(String line) {
        return line.contains("internal error") || line.contains("Exception");
    }
}
