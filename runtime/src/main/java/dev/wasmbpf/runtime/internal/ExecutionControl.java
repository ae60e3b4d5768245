package dev.wasmbpf.runtime.internal;

import dev.wasmbpf.runtime.GuestTerminatedException;

/**
 * Pause, resume and terminate requests for one running module (implementation: the embedding API exposes them through
 * {@code RunningModule}; the host-call boundary, the ABI and WASI call in here). The guest thread honours them at its next
 * host call ({@link #checkpoint()}); termination also interrupts the thread so that Chicory stops a guest
 * spinning in Wasm code at its next loop back-edge or call.
 */
public final class ExecutionControl {
    /** A control for one run, running. */
    public ExecutionControl() {}

    private enum State {
        RUNNING,
        PAUSED,
        TERMINATING
    }

    private final Object lock = new Object();
    // volatile for the lock-free fast path of checkpoint(); changes happen under the lock.
    private volatile State state = State.RUNNING;
    private volatile Thread guestThread;
    private volatile boolean timedOut;
    // Written by the guest thread only. Its volatile write on leaving a host call also publishes what that
    // call did (objects registered, closed) to a thread that reads the depth afterwards.
    private volatile int hostCallDepth;

    public void bindGuestThread(Thread thread) {
        this.guestThread = thread;
    }

    /** Pauses the guest at its next host call. */
    public void pause() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.PAUSED;
            }
        }
    }

    /** Lets a paused guest go on. */
    public void resume() {
        synchronized (lock) {
            if (state == State.PAUSED) {
                state = State.RUNNING;
                lock.notifyAll();
            }
        }
    }

    /** Ends the guest at its next host call, loop back-edge or call; also wakes it when paused. */
    public void terminate() {
        synchronized (lock) {
            state = State.TERMINATING;
            lock.notifyAll();
        }
        Thread thread = guestThread;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Terminates because the run's time is up; the result then says timed out rather than terminated. */
    public void timeOut() {
        synchronized (lock) {
            if (state == State.TERMINATING) {
                return;
            }
            timedOut = true;
        }
        terminate();
    }

    public boolean timedOut() {
        return timedOut;
    }

    /**
     * Whether termination was requested.
     *
     * @return true once {@link #terminate()} was called
     */
    public boolean isTerminating() {
        synchronized (lock) {
            return state == State.TERMINATING;
        }
    }

    /**
     * Whether the guest is paused or will pause at its next host call.
     *
     * @return true between {@link #pause()} and {@link #resume()}
     */
    public boolean isPaused() {
        synchronized (lock) {
            return state == State.PAUSED;
        }
    }

    /**
     * The guest thread entering a host function: counts it, then {@link #checkpoint()}. Pair with
     * {@link #exitHostCall()} in a finally block that also covers this call.
     */
    public void enterHostCall() {
        hostCallDepth++;
        checkpoint();
    }

    /** The guest thread leaving a host function (see {@link #enterHostCall()}). */
    public void exitHostCall() {
        hostCallDepth--;
    }

    /**
     * Whether the guest thread is inside a host function (or a guest callback that one made). Outside, it
     * holds no native resource, so a guest that ignores termination can be abandoned safely: its next host
     * call can only throw.
     */
    public boolean inHostCall() {
        return hostCallDepth > 0;
    }

    /**
     * Called by the guest thread at every host call: blocks while paused, throws
     * {@link GuestTerminatedException} once termination was requested.
     */
    public void checkpoint() {
        if (state == State.RUNNING) {
            return;
        }
        synchronized (lock) {
            while (state == State.PAUSED) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (state == State.TERMINATING) {
                throw new GuestTerminatedException();
            }
        }
    }
}
