package dev.wasmbpf.daemon;

import static dev.wasmbpf.daemon.ModuleApiTest.exec;
import static dev.wasmbpf.daemon.ModuleApiTest.logsContain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.oci.Digests;
import dev.wasmbpf.runtime.ModuleLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compile once per module digest per daemon: a module started again — the same bytes under another name, or from
 * another source — starts from the module the daemon compiled before ({@code compiledFromCache} in inspect), a
 * different module does not, and every one of them delivers the test's execs.
 */
class CompiledModuleCacheTest {
    @TempDir
    Path dir;

    private static final Path BOOTSTRAP = Path.of("../examples/target/classes/dev/wasmbpf/examples/bootstrap.wasm");

    @Test
    void aModuleStartedAgainSkipsCompilingAndADifferentOneDoesNot() throws Exception {
        KernelTestSupport.requireKernel();
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            long baseline = daemon.kernelFds();
            daemon.create("{\"source\":\"bootstrap\",\"name\":\"first\"}");
            assertFalse(daemon.inspect("first").get("compiledFromCache").asBoolean(), "nothing compiled yet");
            delivers(daemon, "first");

            // The same bytes under another name: the first start's compiled module.
            daemon.create("{\"source\":\"bootstrap\",\"name\":\"second\"}");
            assertTrue(
                    daemon.inspect("second").get("compiledFromCache").asBoolean(),
                    daemon.inspect("second").toString());
            delivers(daemon, "second");

            // The same bytes uploaded: another source, the same digest.
            daemon.create("{\"source\":\"" + daemon.upload(BOOTSTRAP) + "\",\"name\":\"uploaded\"}");
            assertTrue(
                    daemon.inspect("uploaded").get("compiledFromCache").asBoolean(),
                    daemon.inspect("uploaded").toString());
            delivers(daemon, "uploaded");

            // Another module: compiled for itself.
            daemon.create("{\"source\":\"rust-bootstrap\",\"name\":\"other\"}");
            assertFalse(
                    daemon.inspect("other").get("compiledFromCache").asBoolean(),
                    daemon.inspect("other").toString());
            delivers(daemon, "other");

            for (String name : new String[] {"first", "second", "uploaded", "other"}) {
                assertEquals(
                        200,
                        daemon.curl("/v1/modules/" + name + "?force=true", "-X", "DELETE")
                                .status(),
                        name);
            }
            // Kept compiled modules hold no kernel object: every run's were released.
            daemon.awaitKernelFds(baseline, "after removing every module");
        }
    }

    private static void delivers(DaemonProcess daemon, String name) throws Exception {
        daemon.awaitState(name, "running");
        String pid = exec();
        daemon.await(name + " sees " + pid, () -> logsContain(daemon, name, pid));
    }

    @Test
    void keepsTheLeastRecentlyUsedOutFirstAndNothingWhenDisabled() throws Exception {
        byte[] a = Files.readAllBytes(DaemonProcess.testGuest("exit3"));
        byte[] b = Files.readAllBytes(DaemonProcess.testGuest("wasi_basics"));
        CompiledModules kept = new CompiledModules(1);
        CompiledModules.Lookup first = kept.module("a", a);
        assertEquals("a", first.module().name());
        // Not compiled until a run compiles it: a kept module that never ran is not counted a hit.
        assertFalse(kept.module("a2", a).compiledFromCache());
        assertSame(first.module(), kept.module("a", a).module(), "the same name gets the kept module itself");
        CompiledModules.Lookup renamed = kept.module("renamed", a);
        assertEquals("renamed", renamed.module().name());
        assertEquals(first.digest(), renamed.digest());
        kept.module("b", b);
        assertEquals(1, kept.size(), "bounded");
        assertNotSame(first.module(), kept.module("a", a).module(), "a was dropped for b, so parsed again");

        // With the digest the source computed: the same entry as hashing here.
        assertSame(
                kept.module("a", a).module(),
                kept.module("a", a, Digests.sha256(a)).module());

        CompiledModules none = new CompiledModules(0);
        assertNotSame(none.module("a", a).module(), none.module("a", a).module());
        assertEquals(0, none.size());
        assertThrows(ModuleLoadException.class, () -> kept.module("junk", new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new CompiledModules(-1));
    }
}
