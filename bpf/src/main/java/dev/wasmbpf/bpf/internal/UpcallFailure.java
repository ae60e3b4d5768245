package dev.wasmbpf.bpf.internal;

import java.lang.reflect.UndeclaredThrowableException;

/**
 * Carries a Throwable out of an FFM upcall. An exception escaping an upcall kills the JVM, so the
 * upcall catches it here, tells libbpf to stop, and the Java code that made the downcall rethrows
 * it unchanged once libbpf has returned.
 */
public final class UpcallFailure {
    private Throwable pending;

    /** Remembers the first failure of the current downcall. */
    public void remember(Throwable t) {
        if (pending == null) {
            pending = t;
        }
    }

    public boolean isPending() {
        return pending != null;
    }

    /** Rethrows what an upcall threw, RuntimeExceptions and Errors unchanged, and clears it. */
    public void rethrowIfAny() {
        Throwable t = pending;
        if (t == null) {
            return;
        }
        pending = null;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new UndeclaredThrowableException(t, "sample handler threw a checked exception");
    }
}
