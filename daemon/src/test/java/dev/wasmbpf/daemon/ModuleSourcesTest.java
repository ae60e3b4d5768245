package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmbpf.oci.Digests;
import dev.wasmbpf.oci.ModuleCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundled examples are read from the jar once; the digest a source gives is that of its bytes. */
class ModuleSourcesTest {
    @TempDir
    Path dir;

    @Test
    void aBundledExampleIsReadOnceAndAnUnknownOneIsRefusedEveryTime() {
        ModuleSources sources = new ModuleSources(List.of(), Set.of(), new ModuleCache(dir));
        ModuleSources.Resolved first = sources.resolve("bootstrap");
        assertEquals("example", first.kind());
        assertEquals(Digests.sha256(first.bytes()), first.digest(), "CompiledModules relies on it");
        assertSame(first, sources.resolve("bootstrap"), "kept, not read and hashed again");
        for (int i = 0; i < 2; i++) {
            ApiException refused = assertThrows(ApiException.class, () -> sources.resolve("no-such-example"));
            assertEquals(404, refused.status());
            assertEquals("source", refused.field());
        }
    }
}
