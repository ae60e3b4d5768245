package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./wasm-bpf} launcher, run as a shell user runs it, starts each kind of command from its JDK AOT cache
 * (both trained by the build): a module run from {@code wasm-bpf.aot}, which holds none of the daemon client's
 * classes (they would cost every module run ~5 MiB of RSS), and a client command from {@code wasm-bpf-client.aot},
 * which holds them. Read from the JVM's class-load log: a class "source: shared objects file" came from the cache.
 */
class LauncherAotCacheIT {
    private static final String CLIENT_CLASS = "dev.wasmbpf.cli.ClientJson source: shared objects file";
    private static final String MODULE_RUN_CLASS = "dev.wasmbpf.cli.PlainModuleLaunch source: shared objects file";

    @TempDir
    Path dir;

    private String classLoadLog(int expectedStatus, String... args) throws Exception {
        Path log = dir.resolve("classes-" + args[0] + ".txt");
        Path launcher = Path.of("..", "wasm-bpf").toAbsolutePath().normalize();
        ProcessBuilder builder =
                new ProcessBuilder(new java.util.ArrayList<>(List.of(launcher.toString()))).redirectErrorStream(true);
        builder.command().addAll(List.of(args));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment()
                .put("WASM_BPF_JAR", CliProcess.jar().toAbsolutePath().toString());
        builder.environment().put("WASM_BPF_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        builder.environment().remove("WASM_BPF_AOT");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedStatus, process.exitValue(), output);
        assertFalse(output.contains("[aot]"), "the cache was refused: " + output);
        return Files.readString(log);
    }

    @Test
    void aModuleRunStartsFromTheModuleCacheWithoutTheClientsClasses() throws Exception {
        String classes = classLoadLog(0, "bootstrap", "-h");
        assertTrue(classes.contains(MODULE_RUN_CLASS), "the module run did not start from wasm-bpf.aot");
        // (ClientJson$BadAnswer may be there: linking DaemonCommand's catch clause loads it.)
        assertFalse(classes.contains("dev.wasmbpf.cli.ClientJson source:"), "the module runs' cache holds the client");
        assertFalse(classes.contains("tools.jackson.core.json.JsonFactory source:"), "… or jackson-core");
    }

    @Test
    void aClientCommandStartsFromTheClientCache() throws Exception {
        // No daemon at this socket: the command fails as it should, after starting from its cache.
        String classes = classLoadLog(1, "ps", "-H", "unix://" + dir.resolve("none.sock"));
        assertTrue(classes.contains(CLIENT_CLASS), "ps did not start from wasm-bpf-client.aot");
        assertFalse(classes.contains(MODULE_RUN_CLASS), "the client's cache holds the module runner");
    }
}
