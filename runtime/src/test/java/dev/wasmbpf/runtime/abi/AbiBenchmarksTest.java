package dev.wasmbpf.runtime.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The JMH micro-benchmarks beside this test measure the host ABI's internals; built here they would rot silently,
 * since {@code mvn verify} never runs JMH. Each benchmark body runs once here, through its own set-up and tear-down,
 * and its result is checked, so a benchmark that measures a failing or wrong call fails the build.
 * ({@link MapOperateBenchmark} needs bench's BPF object; bench's own build checks that it loads.)
 */
class AbiBenchmarksTest {
    @Test
    void deliverSampleCallsTheGuestCallbackWithTheSampleSize() {
        GuestCallbackBenchmark benchmark = new GuestCallbackBenchmark();
        benchmark.setUp();
        try {
            // TinyGuest's callback returns its size argument.
            assertEquals(GuestMemoryBenchmark.EVENT_SIZE, benchmark.deliverSample());
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void guestMemoryBenchmarksDoWhatTheyAreNamedFor() {
        GuestMemoryBenchmark benchmark = new GuestMemoryBenchmark();
        benchmark.setUp();
        try {
            assertTrue(benchmark.containsCheck());
            assertEquals(Optional.of("values"), benchmark.readMapName());
            // The copies stay inside the guest's page: a bounds error would throw here.
            benchmark.copySampleIntoGuest();
            assertEquals(8, benchmark.copyKeyOutOfGuest().byteSize());
        } finally {
            benchmark.tearDown();
        }
    }
}
