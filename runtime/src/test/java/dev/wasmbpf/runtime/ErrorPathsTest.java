package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error path of the ABI answers with the negative errno the spec names, and nothing leaks. */
class ErrorPathsTest {
    private static final long EINVAL = -22;
    private static final long ENOENT = -2;
    private static final long EFAULT = -14;
    private static final long EBADF = -9;

    @BeforeAll
    static void kernel() {
        KernelTestSupport.requireKernel();
    }

    @Test
    void eachBadCallGetsItsErrno() throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        try (GuestHarness harness = GuestHarness.start("errors")) {
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            for (String line : harness.out().lines()) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    results.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            harness.assertNothingLeft();
        }
        assertEquals("0", results.get("load_bad_ptr"), results.toString());
        assertEquals("0", results.get("load_garbage"), results.toString());
        assertNotEquals("0", results.get("load_ok"), results.toString());
        expect(results, "attach_bad_handle", EINVAL);
        expect(results, "attach_unknown_prog", ENOENT);
        expect(results, "attach_bad_name_ptr", EFAULT);
        expect(results, "map_fd_bad_handle", EINVAL);
        expect(results, "map_fd_unknown", ENOENT);
        expect(results, "map_fd_bad_ptr", EFAULT);
        expect(results, "op_not_our_fd", EBADF);
        expect(results, "op_fd_minus1", EBADF);
        expect(results, "op_bad_cmd", EINVAL);
        expect(results, "op_key_oob", EFAULT);
        expect(results, "op_value_at_end", EFAULT);
        expect(results, "op_len_wrap", EFAULT);
        expect(results, "poll_bad_handle", EINVAL);
        expect(results, "poll_not_buffer_map", EINVAL);
        expect(results, "poll_data_oob", EFAULT);
        expect(results, "poll_bad_table_index", EINVAL);
        expect(results, "close_ok", 0);
        expect(results, "close_again", EINVAL);
        expect(results, "close_unknown", EINVAL);
        // The guest always reports it: a missing line is a failure, not a pass.
        assertTrue(results.containsKey("map_fd_internal_bss_or_rodata"), results.toString());
        assertTrue(Long.parseLong(results.get("map_fd_internal_bss_or_rodata")) > 0, results.toString());
    }

    private static void expect(Map<String, String> results, String key, long errno) {
        assertEquals(Long.toString(errno), results.get(key), key + " in " + results);
    }

    @Test
    void aFailingVerifierShowsItsLogAndTheLoadReturnsZero() throws Exception {
        try (GuestHarness harness = GuestHarness.start("verifier_fail")) {
            RunResult result = harness.awaitResult();
            assertEquals(new RunResult.Exited(1), result);
            assertTrue(harness.out().lines().contains("load=0"), harness.out().text());
            String err = harness.err().text();
            assertTrue(err.contains("failed to load BPF object"), err);
            // The verifier's own words, e.g. "R0 invalid mem access 'map_value_or_null'".
            assertTrue(err.contains("invalid mem access") || err.contains("map_value_or_null"), err);
            harness.assertNothingLeft();
        }
    }
}
