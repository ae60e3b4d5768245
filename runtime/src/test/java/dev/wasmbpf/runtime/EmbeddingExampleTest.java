package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's embedding example, runnable: keep the two in step. */
class EmbeddingExampleTest {
    @Test
    void theReadmeExampleRuns() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasmBpfModule module = WasmBpfModule.fromPath(GuestHarness.guest("custom_host"));
        RunConfig config = RunConfig.builder()
                .args("--interval", "5")
                .env("LANG", "C")
                .stdout(out)
                .hostFunction(new HostFunctionSpec(
                        "demo", "add", List.of(ValueType.I32, ValueType.I32), List.of(ValueType.I32), (memory, args) ->
                                new long[] {(int) args[0] + (int) args[1]}))
                .hostFunction(new HostFunctionSpec(
                        "demo", "log", List.of(ValueType.I32, ValueType.I32), List.of(), (memory, args) -> null))
                .build();

        RunResult result = WasmBpfRuntime.run(module, config);
        assertEquals(new RunResult.Exited(0), result);

        try (RunningModule running = WasmBpfRuntime.start(module, config)) {
            String outcome = switch (running.await()) {
                case RunResult.Exited e -> "exit " + e.exitCode();
                case RunResult.Trapped t -> "trap: " + t.message() + " at " + t.wasmStackTrace();
                case RunResult.Terminated t -> "terminated";
                case RunResult.TimedOut t -> "timed out after " + t.timeout();
                case RunResult.MemoryLimitExceeded m ->
                    "memory limit " + m.limitBytes() + " exceeded: " + m.trapMessage();
            };
            assertEquals("exit 0", outcome);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("SUM 42"), out.toString(StandardCharsets.UTF_8));
    }
}
