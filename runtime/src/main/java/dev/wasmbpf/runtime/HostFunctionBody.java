package dev.wasmbpf.runtime;

/**
 * The Java side of an embedder's host function. Arguments and results are raw Wasm values (i32 in the low
 * 32 bits of a long, floats as their bits). Read guest buffers through {@code memory}, which checks bounds.
 * Throwing fails the guest with a trap carrying the exception's message.
 */
@FunctionalInterface
public interface HostFunctionBody {
    /**
     * Runs the function.
     *
     * @param memory the calling guest's linear memory
     * @param args the arguments, one per parameter type
     * @return the results, one per result type (null or empty for none)
     */
    long[] call(GuestMemory memory, long... args);
}
