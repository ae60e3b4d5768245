package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exit statuses per the spec, and release of kernel objects on every way out. */
class ExitStatusTest {
    @BeforeAll
    static void kernel() {
        KernelTestSupport.requireKernel();
    }

    @Test
    void aTrapIsATypedResultWithExitCodeOneAndAWasmStackTrace() throws Exception {
        try (GuestHarness harness = GuestHarness.start("trap")) {
            harness.awaitReady();
            RunResult result = harness.awaitResult();
            RunResult.Trapped trapped = assertInstanceOf(RunResult.Trapped.class, result);
            assertEquals(1, trapped.exitCode());
            assertTrue(trapped.message().toLowerCase().contains("unreachable"), trapped.message());
            assertFalse(trapped.wasmStackTrace().isEmpty(), "no wasm frames");
            assertTrue(harness.err().text().contains("trapped"), harness.err().text());
            harness.assertNothingLeft();
        }
    }

    @Test
    void procExitThreeExitsWithThree() throws Exception {
        try (GuestHarness harness = GuestHarness.start("exit3")) {
            harness.awaitReady();
            assertEquals(new RunResult.Exited(3), harness.awaitResult());
            harness.assertNothingLeft();
        }
    }

    @Test
    void mainReturningMinusOneExitsWith255() throws Exception {
        try (GuestHarness harness = GuestHarness.start("ret_minus1")) {
            harness.awaitReady();
            assertEquals(new RunResult.Exited(255), harness.awaitResult());
            harness.assertNothingLeft();
        }
    }
}
