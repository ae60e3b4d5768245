package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.Parser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module whose compiled form the cache holds is parsed without Chicory's validation; any other is validated as
 * before, and an entry that turns out unusable makes the module validated before it is compiled again.
 */
class KnownModuleParseTest {
    /** {@code _start: () -> ()} whose body leaves an i32 on the stack: well-formed, but not valid (type mismatch). */
    private static final byte[] INVALID = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
        0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
        0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00, // export "_start" = function 0
        0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b, // code: i32.const 1, end
    };

    @TempDir
    Path cacheRoot;

    @Test
    void aModuleTheCacheHoldsIsNotValidatedAgainAndStillRuns() throws Exception {
        CompiledModuleCache cache = new CompiledModuleCache(cacheRoot);
        Path guest = GuestHarness.guest("wasi_basics");
        WasmBpfModule first = WasmBpfModule.fromPath(guest, cache);
        assertTrue(first.validated(), "an empty cache vouches for nothing");
        assertEquals(new RunResult.Exited(0), WasmBpfRuntime.run(first, quiet(cache)));

        WasmBpfModule known = WasmBpfModule.fromPath(guest, cache);
        assertFalse(known.validated(), "the cache holds this module's compiled form");
        assertEquals(new RunResult.Exited(0), WasmBpfRuntime.run(known, quiet(cache)));
        assertTrue(WasmBpfModule.fromPath(guest).validated(), "without a cache every module is validated");
        byte[] bytes = java.nio.file.Files.readAllBytes(guest);
        assertEquals(
                com.dylibso.chicory.wasm.Parser.parse(bytes).digest(),
                WasmBpfModule.chicoryDigest(bytes),
                "the cache is asked with Chicory's own digest, computed before parsing");
    }

    @Test
    void anInvalidModuleIsRefusedWithTheSameErrorWhenTheCacheDoesNotKnowIt() {
        String without = assertThrows(ModuleLoadException.class, () -> WasmBpfModule.fromBytes("bad", INVALID))
                .getMessage();
        String with = assertThrows(
                        ModuleLoadException.class,
                        () -> WasmBpfModule.fromBytes("bad", INVALID, new CompiledModuleCache(cacheRoot)))
                .getMessage();
        assertTrue(without.startsWith("invalid WebAssembly module bad: "), without);
        assertEquals(without, with);
    }

    /** A planted (or damaged) entry under an invalid module's digest skips the parse's validation, not validation. */
    @Test
    void anUnusableEntryMakesTheModuleValidatedBeforeItIsCompiled() throws Exception {
        CompiledModuleCache cache = new CompiledModuleCache(cacheRoot);
        String digest = Parser.builder()
                .withValidation(false)
                .build()
                .parse(() -> new ByteArrayInputStream(INVALID))
                .digest();
        Path entry = cache.entry(digest);
        Files.createDirectories(entry.getParent());
        Files.write(entry, new byte[] {1, 2, 3, 4});

        WasmBpfModule planted = WasmBpfModule.fromBytes("bad", INVALID, cache);
        assertFalse(planted.validated());
        ModuleLoadException e =
                assertThrows(ModuleLoadException.class, () -> WasmBpfRuntime.start(planted, quiet(cache)));
        assertTrue(e.getMessage().startsWith("invalid WebAssembly module bad: "), e.getMessage());
        assertFalse(Files.exists(entry), "the unusable entry is dropped");
    }

    private static RunConfig quiet(CompiledModuleCache cache) {
        return RunConfig.builder()
                .compileCache(cache)
                .stdout(new ByteArrayOutputStream())
                .stderr(new ByteArrayOutputStream())
                .build();
    }
}
