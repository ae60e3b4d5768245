package dev.wasmbpf.runtime.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.wasmbpf.runtime.ExecutionControl;
import dev.wasmbpf.runtime.Preopen;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WASI preview1 for a guest, on Chicory's implementation. stdout and stderr are declared terminals so that
 * the guest sees character devices without seek rights: wasi-libc then line-buffers them, and output
 * appears line by line even in a pipe. Every WASI call is also a point where pause and terminate apply.
 */
public final class WasiEnvironment implements Closeable {
    private final WasiPreview1 wasi;
    private final List<HostFunction> functions;

    public WasiEnvironment(List<String> argv, Map<String, String> env, List<Preopen> preopens, InputStream stdin,
            OutputStream stdout, OutputStream stderr, ExecutionControl control) {
        WasiOptions.Builder options = WasiOptions.builder()
                .withArguments(argv)
                .withStdin(stdin, false)
                .withStdout(new FlushingOutputStream(stdout), true)
                .withStderr(new FlushingOutputStream(stderr), true);
        env.forEach(options::withEnvironment);
        for (Preopen preopen : preopens) {
            options.withDirectory(preopen.guestPath(), preopen.hostPath());
        }
        this.wasi = WasiPreview1.builder().withOptions(options.build()).build();
        this.functions = WasiBounds.guard(withCheckpoints(wasi.toHostFunctions(), control));
    }

    /** The WASI host functions, under {@code wasi_snapshot_preview1}, behind {@link WasiBounds}' checks. */
    public List<HostFunction> functions() {
        return functions;
    }

    private static List<HostFunction> withCheckpoints(HostFunction[] raw, ExecutionControl control) {
        List<HostFunction> wrapped = new ArrayList<>(raw.length);
        for (HostFunction function : raw) {
            WasmFunctionHandle inner = function.handle();
            wrapped.add(new HostFunction(function.module(), function.name(), function.functionType(),
                    (instance, args) -> {
                        try {
                            control.enterHostCall();
                            return inner.apply(instance, args);
                        } finally {
                            control.exitHostCall();
                        }
                    }));
        }
        return wrapped;
    }

    @Override
    public void close() {
        wasi.close();
    }
}
