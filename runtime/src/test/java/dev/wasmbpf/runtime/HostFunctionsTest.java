package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extra host functions registered through the embedding API, and link errors without them. */
class HostFunctionsTest {
    @Test
    void aGuestCallsHostFunctionsTheEmbedderRegistered() throws Exception {
        List<String> logged = new ArrayList<>();
        RunConfig.Builder config = RunConfig.builder()
                .hostFunction(new HostFunctionSpec(
                        "demo", "add", List.of(ValueType.I32, ValueType.I32), List.of(ValueType.I32), (memory, args) ->
                                new long[] {(int) args[0] + (int) args[1]}))
                .hostFunction(new HostFunctionSpec(
                        "demo", "log", List.of(ValueType.I32, ValueType.I32), List.of(), (memory, args) -> {
                            int ptr = (int) args[0];
                            int len = (int) args[1];
                            if (!memory.contains(ptr, len)) {
                                throw new IllegalArgumentException("log buffer outside memory");
                            }
                            logged.add(new String(memory.read(ptr, len), StandardCharsets.UTF_8));
                            return null;
                        }));
        try (GuestHarness harness = GuestHarness.start("custom_host", config)) {
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            assertTrue(harness.out().lines().contains("SUM 42"), harness.out().text());
            assertEquals(List.of("hello from guest"), logged);
        }
    }

    @Test
    void aMissingHostFunctionFailsBeforeStartNamingItAndItsType() {
        ModuleLinkException e = assertThrows(
                ModuleLinkException.class,
                () -> WasmBpfRuntime.start(
                        WasmBpfModule.fromPath(GuestHarness.guest("custom_host")),
                        RunConfig.builder().build()));
        assertTrue(e.getMessage().contains("demo.add") || e.getMessage().contains("demo.log"), e.getMessage());
        assertTrue(e.getMessage().contains("(i32, i32) -> ("), e.getMessage());
    }

    @Test
    void aHostFunctionThatThrowsTrapsTheGuestWithItsMessage() throws Exception {
        RunConfig.Builder config = RunConfig.builder()
                .hostFunction(new HostFunctionSpec(
                        "demo",
                        "add",
                        List.of(ValueType.I32, ValueType.I32),
                        List.of(ValueType.I32),
                        (memory, args) -> {
                            throw new IllegalStateException("no adding today");
                        }))
                .hostFunction(new HostFunctionSpec(
                        "demo", "log", List.of(ValueType.I32, ValueType.I32), List.of(), (memory, args) -> null));
        try (GuestHarness harness = GuestHarness.start("custom_host", config)) {
            RunResult.Trapped trapped = assertInstanceOf(RunResult.Trapped.class, harness.awaitResult());
            assertTrue(trapped.message().contains("no adding today"), trapped.message());
        }
    }
}
