package dev.wasmbpf.runtime.abi;

import java.lang.foreign.MemorySegment;

/** Receives one ring- or perf-buffer sample; a negative return stops the current poll. */
@FunctionalInterface
interface SampleSink {
    int accept(MemorySegment sample);
}
