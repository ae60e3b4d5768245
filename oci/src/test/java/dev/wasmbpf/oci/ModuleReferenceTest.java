package dev.wasmbpf.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleReferenceTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void parsesTagDigestAndDefaultsToLatest() throws Exception {
        ModuleReference tagged = ModuleReference.parse("127.0.0.1:5000/team/bootstrap:v1");
        assertEquals("127.0.0.1:5000", tagged.registry());
        assertEquals("team/bootstrap", tagged.repository());
        assertEquals(Optional.of("v1"), tagged.tag());

        ModuleReference pinned = ModuleReference.parse("ghcr.io/org/bootstrap@" + DIGEST);
        assertEquals(Optional.of(DIGEST), pinned.digest());
        assertEquals(Optional.empty(), pinned.tag());

        assertEquals(
                Optional.of("latest"),
                ModuleReference.parse("localhost/bootstrap").tag());
        assertEquals(
                "localhost:5000/x:v1@" + DIGEST,
                ModuleReference.parse("localhost:5000/x:v1@" + DIGEST).toString());
    }

    @Test
    void filesAndExampleNamesAreNotReferences() {
        assertFalse(ModuleReference.looksLikeReference("bootstrap"));
        assertFalse(ModuleReference.looksLikeReference("bootstrap.wasm"));
        assertFalse(ModuleReference.looksLikeReference("target/bootstrap.wasm"));
        assertFalse(ModuleReference.looksLikeReference("/tmp/bootstrap.wasm"));
        assertFalse(ModuleReference.looksLikeReference("./bootstrap.wasm"));
        assertTrue(ModuleReference.looksLikeReference("localhost:5000/bootstrap:v1"));
    }

    @Test
    void badReferencesSayWhatIsWrong() {
        assertTrue(assertThrows(OciException.class, () -> ModuleReference.parse("bootstrap:v1"))
                .getMessage()
                .contains("expected REGISTRY/REPOSITORY"));
        assertTrue(assertThrows(OciException.class, () -> ModuleReference.parse("localhost:5000/Boot:v1"))
                .getMessage()
                .contains("bad repository name 'Boot'"));
        assertTrue(assertThrows(OciException.class, () -> ModuleReference.parse("localhost:5000/boot@sha256:12"))
                .getMessage()
                .contains("digest must be sha256"));
        assertTrue(assertThrows(OciException.class, () -> ModuleReference.parse("localhost:5000/boot:v/1"))
                .getMessage()
                .startsWith("bad reference"));
    }
}
