package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second start reuses the compiled module; a damaged entry is recompiled, never fatal. */
class CompiledModuleCacheTest {
    @TempDir
    Path cacheRoot;

    private RunResult runOnce() throws Exception {
        WasmBpfModule module = WasmBpfModule.fromPath(GuestHarness.guest("wasi_basics"));
        return WasmBpfRuntime.run(
                module,
                RunConfig.builder()
                        .compileCache(cacheRoot)
                        .stdout(new ByteArrayOutputStream())
                        .build());
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> files = Files.walk(cacheRoot)) {
            return files.filter(p -> p.toString().endsWith(".bin")).toList();
        }
    }

    @Test
    void theFirstRunStoresTheCompiledModuleAndLaterRunsUseIt() throws Exception {
        assertEquals(new RunResult.Exited(0), runOnce());
        List<Path> stored = entries();
        assertEquals(1, stored.size(), "one entry per module");
        long modified = Files.getLastModifiedTime(stored.get(0)).toMillis();
        assertEquals(new RunResult.Exited(0), runOnce());
        assertEquals(stored, entries());
        assertEquals(modified, Files.getLastModifiedTime(stored.get(0)).toMillis(), "entry rewritten");
    }

    @Test
    void aDamagedEntryIsReplacedByAFreshCompilation() throws Exception {
        assertEquals(new RunResult.Exited(0), runOnce());
        Path entry = entries().get(0);
        Files.write(entry, new byte[] {1, 2, 3, 4});
        assertEquals(new RunResult.Exited(0), runOnce());
        assertTrue(Files.size(entries().get(0)) > 4, "the damaged entry was not replaced");
    }
}
