package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an embedder gets without asking: compile cache, module names, preopen checks. */
class RunConfigDefaultsTest {
    @Test
    void theCompileCacheIsOnByDefaultWhereItsRootCanBeWrittenAndCanBeTurnedOff() {
        Path root = CompiledModuleCache.defaultRoot().toAbsolutePath();
        Path existing = root;
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (Files.isWritable(existing)) {
            assertNotNull(RunConfig.builder().build().compileCache());
        } else {
            assertNull(RunConfig.builder().build().compileCache());
        }
        assertNull(RunConfig.builder().noCompileCache().build().compileCache());
    }

    @Test
    void aPreopenOfAMissingDirectoryFailsAtBuildNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-dir");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RunConfig.builder().preopen(missing, "/data").build());
        assertEquals("cannot preopen " + missing + " as /data: no such directory", e.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        e = assertThrows(
                IllegalArgumentException.class,
                () -> RunConfig.builder().preopen(file, "/f").build());
        assertTrue(e.getMessage().endsWith(": not a directory"), e.getMessage());
        assertEquals(
                1, RunConfig.builder().preopen(dir, "/ok").build().preopens().size());
    }

    @Test
    void fromPathNamesTheModuleByItsFileName() throws Exception {
        WasmBpfModule module = WasmBpfModule.fromPath(GuestHarness.guest("wasi_basics"));
        assertEquals("wasi_basics.wasm", module.name());
    }
}
