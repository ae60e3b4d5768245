package dev.wasmbpf.bpf;

import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.elf.ObjectFile;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a BPF object with our own ELF/BTF reader before libbpf sees it; {@link BpfObject#open} runs it, so
 * every way into libbpf (the runtime, the bench, an embedder) has it. libbpf 1.1 (Debian 12) keeps
 * using a {@code .BTF} section the kernel has refused and can crash the whole process on it (a three-byte
 * corruption of a type name is enough); our reader checks every offset, count and name and answers with
 * an exception instead, so a hostile or damaged object ends as a refused load.
 *
 * <p>In a cold JVM the first read costs tens of milliseconds (class loading, the interpreter), all of it on
 * the path to attach. A caller that knows early which object will be opened (the runtime finds the objects a
 * Wasm module embeds before Chicory parses the module) can {@link #startAhead} the check on another thread;
 * {@link #problem} then takes the answer for the very same bytes instead of reading them again. The answer is
 * a function of the bytes alone, so it is the same whichever thread computed it.
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

    /** Checks started ahead and not yet taken; few, since each is one embedded object of a module being started. */
    private static final int MAX_AHEAD = 8;

    private static final Deque<Ahead> AHEAD = new ArrayDeque<>();

    private record Ahead(byte[] elf, CompletableFuture<Optional<String>> answer) {}

    private ObjectPrecheck() {}

    /**
     * Starts the check of {@code elf} on a daemon thread; a later {@link #problem} call with equal bytes waits for
     * that answer. The oldest check not taken is forgotten once {@value #MAX_AHEAD} are pending.
     */
    static void startAhead(byte[] elf) {
        if (passedBefore(elf)) {
            return; // problem() answers from PASSED without a read: nothing to start, nothing left pending
        }
        byte[] copy = elf.clone();
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        synchronized (AHEAD) {
            if (AHEAD.size() >= MAX_AHEAD) {
                AHEAD.removeFirst();
            }
            AHEAD.addLast(new Ahead(copy, answer));
        }
        Thread.ofPlatform().daemon().name("wasm-bpf object precheck").start(() -> {
            try {
                answer.complete(read(copy));
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
    }

    /** Why the object must not reach libbpf, or empty when it reads cleanly. */
    static Optional<String> problem(byte[] elf) {
        if (passedBefore(elf)) {
            return Optional.empty();
        }
        CompletableFuture<Optional<String>> ahead = takeAhead(elf);
        if (ahead != null) {
            try {
                return ahead.get();
            } catch (InterruptedException e) {
                // The guest is being stopped; answer on this thread all the same, the caller decides what follows.
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // An Error on the other thread (e.g. out of memory): read again here, where it surfaces as before.
            }
        }
        return read(elf);
    }

    private static boolean passedBefore(byte[] elf) {
        synchronized (PASSED) {
            byte[] kept = PASSED.get(Arrays.hashCode(elf));
            return kept != null && Arrays.equals(kept, elf);
        }
    }

    /** Whether a check of these bytes was started ahead and not taken yet (for tests). */
    static boolean pendingAhead(byte[] elf) {
        synchronized (AHEAD) {
            return AHEAD.stream().anyMatch(ahead -> Arrays.equals(ahead.elf(), elf));
        }
    }

    private static CompletableFuture<Optional<String>> takeAhead(byte[] elf) {
        synchronized (AHEAD) {
            for (var it = AHEAD.iterator(); it.hasNext(); ) {
                Ahead ahead = it.next();
                if (Arrays.equals(ahead.elf(), elf)) {
                    it.remove();
                    return ahead.answer();
                }
            }
        }
        return null;
    }

    private static Optional<String> read(byte[] elf) {
        PARSES.incrementAndGet();
        int hash = Arrays.hashCode(elf);
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
