package dev.wasmbpf.bpf.ringbuf;

import java.lang.foreign.MemorySegment;

/**
 * Receives one sample from a ring buffer or perf buffer.
 *
 * <p>{@code sample} is only valid during the call (it is a view of the kernel's buffer; using it
 * afterwards throws {@link IllegalStateException}); copy out what you keep. Return 0 (or any
 * non-negative value) to continue, a negative value to stop the poll, which then returns that
 * value. An exception thrown here stops the poll and is rethrown by {@code poll()} unchanged.
 */
@FunctionalInterface
public interface SampleHandler {
    int onSample(MemorySegment sample);
}
