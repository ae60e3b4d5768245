package dev.wasmbpf.examples.embedding;

// README-BEGIN (README.md "Use it from Java" shows this file from here on; ReadmeEmbeddingTest keeps them equal)
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunEvent;
import dev.wasmbpf.runtime.RunEventListener;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.io.InputStream;
import java.time.Duration;

public class BootstrapFromJava {
    public static void main(String[] args) throws Exception {
        // The bundled bootstrap example: a classpath resource of dev.wasmbpf:wasm-bpf-examples.
        byte[] wasm;
        try (InputStream in = BootstrapFromJava.class.getResourceAsStream("/dev/wasmbpf/examples/bootstrap.wasm")) {
            wasm = in.readAllBytes();
        }
        WasmBpfModule module = WasmBpfModule.fromBytes("bootstrap", wasm);

        RunConfig config = RunConfig.builder()
                .stdout(System.out) // bootstrap prints one line per exec and exit
                .events(RunEventListener.diagnostics(System.err).andThen(event -> {
                    if (event instanceof RunEvent.ProgramAttached attached) {
                        System.err.println("attached " + attached.program() + " (" + attached.section() + ")");
                    }
                }))
                .build();

        // try-with-resources: close() terminates the guest and releases every kernel object it created.
        try (RunningModule running = WasmBpfRuntime.start(module, config)) {
            if (!running.awaitReady(Duration.ofSeconds(10))) { // ready: its probes are live
                throw new IllegalStateException("bootstrap did not get ready");
            }
            Process process = new ProcessBuilder("/bin/true").start(); // bootstrap sees this exec
            process.waitFor();
            System.err.println("ran /bin/true as pid " + process.pid());
            Thread.sleep(500); // let the EXEC and EXIT lines arrive
        }
    }
}
