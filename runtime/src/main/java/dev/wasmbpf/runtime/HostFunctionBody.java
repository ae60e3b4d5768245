package dev.wasmbpf.runtime;

import dev.wasmbpf.runtime.abi.GuestMemory;

/**
 * The Java side of an embedder's host function. Arguments and results are raw Wasm values (i32 in the low
 * 32 bits of a long, floats as their bits). Read guest buffers through {@code memory}, which checks bounds.
 * Throwing fails the guest with a trap carrying the exception's message.
 */
@FunctionalInterface
public interface HostFunctionBody {
    long[] call(GuestMemory memory, long... args);
}
