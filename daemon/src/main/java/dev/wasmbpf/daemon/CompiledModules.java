package dev.wasmbpf.daemon;

import dev.wasmbpf.oci.Digests;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.WasmBpfModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed and compiled modules kept in memory by the SHA-256 of their bytes: compile once per module digest per
 * daemon (issue 11, item 7). A module started again — the same bytes under any name or source, or a restart — gets
 * the module its first start parsed, and with it the JVM classes that start compiled; so it skips parsing,
 * compiling and class loading, and its first events run on code the JIT already warmed in the earlier run.
 *
 * <p>The runtime's on-disk {@code CompiledModuleCache} only skips the compilation: every start still parses, defines
 * the classes anew in a new class loader and runs them cold. Bounded (least recently used first out) so a daemon
 * fed many distinct modules does not keep every one's classes; an entry dropped here is freed once no run uses it.
 */
final class CompiledModules {
    /** Default bound: well above the modules a node runs at once, small against the heap (a few MiB of classes each). */
    static final int DEFAULT_CAPACITY = 32;

    private final int capacity;
    private final Map<String, WasmBpfModule> byDigest;
    private long hits;
    private long misses;

    /** A module for one run and whether it came compiled from this cache. */
    record Lookup(WasmBpfModule module, String digest, boolean compiledFromCache) {}

    /** @param capacity how many modules to keep; 0 keeps none (every start parses and compiles afresh) */
    CompiledModules(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
        this.byDigest = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WasmBpfModule> eldest) {
                return size() > CompiledModules.this.capacity;
            }
        };
    }

    /**
     * The module for {@code bytes}, named {@code name} for this run: the kept one when these bytes were started
     * before, else parsed now (and kept). Parsing runs outside the lock, so a slow parse holds up no other start;
     * two first starts of the same bytes at once may both parse, and the first kept wins.
     *
     * @throws ModuleLoadException when the bytes are not a valid module (nothing is kept)
     */
    Lookup module(String name, byte[] bytes) throws ModuleLoadException {
        return module(name, bytes, Digests.sha256(bytes));
    }

    /**
     * As {@link #module(String, byte[])} with the SHA-256 of {@code bytes} already known (the source computed it):
     * hashing a module again costs a few hundred microseconds of every start.
     *
     * @param digest {@code Digests.sha256(bytes)}: a wrong one would hand another module's code to this start
     */
    Lookup module(String name, byte[] bytes, String digest) throws ModuleLoadException {
        WasmBpfModule kept;
        synchronized (this) {
            kept = byDigest.get(digest);
        }
        if (kept != null) {
            // Compiled already unless every earlier run failed before compiling (e.g. a missing _start).
            boolean compiled = kept.isCompiled();
            synchronized (this) {
                if (compiled) {
                    hits++;
                } else {
                    misses++;
                }
            }
            return new Lookup(kept.named(name), digest, compiled);
        }
        WasmBpfModule parsed = WasmBpfModule.fromBytes(name, bytes);
        synchronized (this) {
            misses++;
            if (capacity == 0) {
                return new Lookup(parsed, digest, false);
            }
            WasmBpfModule raced = byDigest.putIfAbsent(digest, parsed);
            return new Lookup(raced == null ? parsed : raced.named(name), digest, false);
        }
    }

    synchronized int size() {
        return byDigest.size();
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }
}
