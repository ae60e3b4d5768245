package dev.wasmbpf.bpf;

import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.elf.ObjectFile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a BPF object with our own ELF/BTF reader before libbpf sees it; {@link BpfObject#open} runs it, so
 * every way into libbpf (the runtime, the bench, an embedder) has it. libbpf 1.1 (Debian 12) keeps
 * using a {@code .BTF} section the kernel has refused and can crash the whole process on it (a three-byte
 * corruption of a type name is enough); our reader checks every offset, count and name and answers with
 * an exception instead, so a hostile or damaged object ends as a refused load.
 */
final class ObjectPrecheck {
    /**
     * Objects that read cleanly, by content, most recently used last: a warm process that opens the same object
     * again (a module started again in the daemon) skips the parse, ~1.4 ms of bootstrap's 32 KB on every start
     * (docs/benchmarks.md, "Warm daemon"). Only identical bytes skip it: the key is a hash, the hit a full
     * comparison with the copy kept. A refused object is never kept. Bounded in count and in size per object.
     */
    private static final int KEPT = 16;
    private static final int MAX_KEPT_BYTES = 1 << 20;
    private static final Map<Integer, byte[]> PASSED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > KEPT;
        }
    };
    /** How many objects were parsed (not answered from {@link #PASSED}); read by tests. */
    private static final AtomicLong PARSES = new AtomicLong();

    private ObjectPrecheck() {}

    /** Why the object must not reach libbpf, or empty when it reads cleanly. */
    static Optional<String> problem(byte[] elf) {
        int hash = Arrays.hashCode(elf);
        synchronized (PASSED) {
            byte[] kept = PASSED.get(hash);
            if (kept != null && Arrays.equals(kept, elf)) {
                return Optional.empty();
            }
        }
        PARSES.incrementAndGet();
        try {
            ObjectFile.parse(elf);
            if (elf.length <= MAX_KEPT_BYTES) {
                // A copy: the caller may reuse its array for other bytes.
                byte[] copy = elf.clone();
                synchronized (PASSED) {
                    PASSED.put(hash, copy);
                }
            }
            return Optional.empty();
        } catch (ToolchainException e) {
            return Optional.of(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // The reader is fuzzed not to throw these; should one slip through, the object is still refused.
            return Optional.of("unreadable object (" + e + ")");
        }
    }

    static long parses() {
        return PARSES.get();
    }
}
