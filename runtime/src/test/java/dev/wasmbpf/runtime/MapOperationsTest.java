package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Map lookup/update/delete/get_next_key round-trip values between guest and kernel. */
class MapOperationsTest {
    @BeforeAll
    static void kernel() {
        KernelTestSupport.requireKernel();
    }

    @Test
    void valuesRoundTripBetweenGuestAndKernel() throws Exception {
        int cpus = Libbpf.possibleCpus();
        try (GuestHarness harness = GuestHarness.start("maps", Integer.toString(cpus))) {
            harness.awaitReady();
            GuestHarness.execMarker(GuestHarness.uniqueMarker("maps"));
            RunResult result = harness.awaitResult();
            List<String> lines = harness.out().lines();
            assertEquals(
                    new RunResult.Exited(0),
                    result,
                    String.join("\n", lines) + harness.err().text());
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL")), String.join("\n", lines));
            assertTrue(lines.contains("KEYS 1 5 6"), String.join("\n", lines));
            assertTrue(lines.contains("OK roundtrip"), String.join("\n", lines));
            long sum = Long.parseLong(lines.stream()
                    .filter(l -> l.startsWith("PERCPU_SUM "))
                    .findFirst()
                    .orElseThrow()
                    .substring("PERCPU_SUM ".length()));
            assertTrue(sum >= 1, "per-CPU counter summed over " + cpus + " CPUs: " + sum);
            harness.assertNothingLeft();
        }
    }

    @Test
    void aModuleImportingMapOperateWithI64PointersLinksAndWorks() throws Exception {
        try (GuestHarness harness = GuestHarness.start("i64_map_operate")) {
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            assertTrue(harness.out().lines().contains("VALUE 7"), harness.out().text());
            harness.assertNothingLeft();
        }
    }
}
