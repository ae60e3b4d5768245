package dev.wasmbpf.bench.startup;

import dev.wasmbpf.bpf.Libbpf;
import dev.wasmbpf.runtime.CompiledModuleCache;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where the start of a bootstrap-like module goes: wall and CPU milliseconds since the JVM process
 * started, at each stage the runtime passes through up to the guest's first stdout line (the header
 * the bootstrap example prints right after attach).
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED [launcher flags] -cp bench/target/benchmarks.jar \
 *       dev.wasmbpf.bench.startup.StartupStages examples/target/examples-wasm/bootstrap.wasm [cache dir]
 * </pre>
 */
public final class StartupStages {
    private StartupStages() {}

    public static void main(String[] args) throws Exception {
        stage("main() entered");
        if (args.length < 1) {
            System.err.println("usage: StartupStages MODULE.wasm [COMPILE-CACHE-DIR]");
            System.exit(2);
        }
        Libbpf.ensureLoaded();
        stage("Libbpf.ensureLoaded");
        // As the CLI does: the cache the module runs with also tells the parse whether it may skip validation.
        CompiledModuleCache cache = args.length > 1 ? new CompiledModuleCache(Path.of(args[1])) : null;
        WasmBpfModule module = WasmBpfModule.fromPath(Path.of(args[0]), cache);
        stage("module parsed");
        FirstLine stdout = new FirstLine();
        RunConfig.Builder config = RunConfig.builder().stdout(stdout).stderr(System.err);
        if (cache != null) {
            config.compileCache(cache);
        }
        try (RunningModule running = WasmBpfRuntime.start(module, config.build())) {
            stage("start() returned (instantiated, guest thread running)");
            if (!stdout.seen.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the guest printed no line within 60 s");
            }
            stage("first guest line (attached)");
            running.terminate();
            running.await(Duration.ofSeconds(10));
        }
        stage("terminated, kernel objects released");
    }

    private static void stage(String name) {
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        long wallMs = Duration.between(started, Instant.now()).toMillis();
        System.out.printf("%-55s wall %5d ms  cpu %5d ms%n", name, wallMs, cpuMs());
    }

    /** utime + stime of this process, all threads. */
    private static long cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Counts down at the first newline the guest writes. */
    private static final class FirstLine extends OutputStream {
        final CountDownLatch seen = new CountDownLatch(1);

        @Override
        public void write(int b) {
            if (b == '\n') {
                seen.countDown();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
