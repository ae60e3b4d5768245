package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.runtime.Instance;
import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

/**
 * Delivers a map's samples to one guest function {@code (ctx, data, size) -> i32}: each sample is copied into
 * the guest's data buffer (truncated to its size) and the function is called. One per poller, reused across
 * its polls: the hot path allocates nothing but Chicory's result array. A negative return stops the poll.
 */
final class GuestCallback {
    /** What {@link #accept} returns to stop the reader once the guest has closed the polled object. */
    private static final int STOP = -1;

    private final AbiContext context;
    /** Whether the guest has closed the polled object (from inside a callback). */
    private final BooleanSupplier objectClosed;

    private final long[] arguments = new long[3];
    private int functionIndex;
    private int data;
    private int maxSize;
    private int delivered;

    GuestCallback(AbiContext context, BooleanSupplier objectClosed) {
        this.context = context;
        this.objectClosed = objectClosed;
    }

    /** Points this callback at a function and buffer for the coming poll. */
    GuestCallback prepare(int functionIndex, int ctx, int data, int maxSize) {
        this.functionIndex = functionIndex;
        this.arguments[0] = ctx;
        this.data = data;
        this.maxSize = maxSize;
        this.delivered = 0;
        return this;
    }

    int delivered() {
        return delivered;
    }

    /** The guest closed the polled object from inside this poll's callback. */
    boolean objectClosed() {
        return objectClosed.getAsBoolean();
    }

    int accept(MemorySegment sample) {
        if (objectClosed.getAsBoolean()) {
            return STOP;
        }
        int size = (int) Math.min(sample.byteSize(), maxSize);
        // Memory only grows, so the range checked before the poll is still inside it.
        context.memory().copyFromNative(sample, 0, data, size);
        arguments[1] = data;
        arguments[2] = size;
        Instance instance = context.instance();
        long[] result = instance.getMachine().call(functionIndex, arguments);
        delivered++;
        return (int) result[0];
    }
}
