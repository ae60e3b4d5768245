package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Malformed and missing modules are clear, typed errors. */
class ModuleLoadingTest {
    @Test
    void aMissingFileIsNamed() {
        ModuleLoadException e =
                assertThrows(ModuleLoadException.class, () -> WasmBpfModule.fromPath(Path.of("/nonexistent/x.wasm")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void bytesWithoutTheWasmHeaderAreRejected() {
        ModuleLoadException e = assertThrows(
                ModuleLoadException.class, () -> WasmBpfModule.fromBytes("junk", "#!/bin/sh\necho hi\n".getBytes()));
        assertTrue(e.getMessage().contains("not a WebAssembly module"), e.getMessage());
    }

    @Test
    void aTruncatedModuleIsInvalid() throws Exception {
        byte[] valid = Files.readAllBytes(GuestHarness.guest("wasi_basics"));
        for (int length : new int[] {9, 20, valid.length / 2, valid.length - 1}) {
            byte[] truncated = Arrays.copyOf(valid, length);
            ModuleLoadException e = assertThrows(
                    ModuleLoadException.class,
                    () -> WasmBpfModule.fromBytes("truncated", truncated),
                    "length " + length);
            assertTrue(e.getMessage().startsWith("invalid WebAssembly module"), e.getMessage());
        }
    }
}
