package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;

/**
 * Unwinds the guest's stack after termination was requested. It extends Chicory's interruption exception
 * so that everything on the way treats it as an interruption, never as a trap.
 */
public final class GuestTerminatedException extends ChicoryInterruptedException {
    private static final long serialVersionUID = 1L;

    /** The exception a checkpoint throws once termination was requested. */
    public GuestTerminatedException() {
        super("module terminated");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
