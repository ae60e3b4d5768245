package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmbpf.oci.ModuleReference;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The daemon is oci's one named client, and these tests run on the module path: here oci must be the explicit module
 * of oci/src/main/java/module-info.java, not an automatic one. An automatic module (oci before it had a descriptor)
 * opens every package to everyone, so the deep reflection refused below would succeed; an {@code opens} added to
 * oci's descriptor would make it succeed again.
 */
class OciModuleBoundaryTest {
    @Test
    void ociIsAnExplicitModuleWhoseInternalsAreClosedToOtherModules() throws Exception {
        // Package-private: the ORAS reference a ModuleReference turns into, not part of oci's API.
        Method internal = ModuleReference.class.getDeclaredMethod("containerRef");
        assertThrows(InaccessibleObjectException.class, () -> internal.setAccessible(true));
        Module oci = ModuleReference.class.getModule();
        assertEquals("dev.wasmbpf.oci", oci.getName());
        assertFalse(oci.getDescriptor().isAutomatic(), oci.getDescriptor().toString());
    }
}
