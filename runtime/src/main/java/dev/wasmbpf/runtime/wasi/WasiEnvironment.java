package dev.wasmbpf.runtime.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.wasmbpf.runtime.ExecutionControl;
import dev.wasmbpf.runtime.Preopen;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WASI preview1 for a guest, on Chicory's implementation. stdout and stderr are declared terminals so that
 * the guest sees character devices without seek rights: wasi-libc then line-buffers them, and output
 * appears line by line even in a pipe, one {@code write(2)} per {@code fd_write}. Every WASI call is also a
 * point where pause and terminate apply.
 */
public final class WasiEnvironment implements Closeable {
    /** WASI's errno for an I/O error, returned when the caller's stream refuses what the guest wrote. */
    private static final int WASI_EIO = 29;

    private final WasiPreview1 wasi;
    private final CallBufferedOutputStream stdout;
    private final CallBufferedOutputStream stderr;
    private final List<HostFunction> functions;

    public WasiEnvironment(List<String> argv, Map<String, String> env, List<Preopen> preopens, InputStream stdin,
            OutputStream stdout, OutputStream stderr, ExecutionControl control) {
        this.stdout = new CallBufferedOutputStream(stdout);
        this.stderr = new CallBufferedOutputStream(stderr);
        WasiOptions.Builder options = WasiOptions.builder()
                .withArguments(argv)
                .withStdin(stdin, false)
                .withStdout(this.stdout, true)
                .withStderr(this.stderr, true);
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

    private List<HostFunction> withCheckpoints(HostFunction[] raw, ExecutionControl control) {
        List<HostFunction> wrapped = new ArrayList<>(raw.length);
        for (HostFunction function : raw) {
            WasmFunctionHandle inner = function.handle();
            boolean writes = function.name().equals("fd_write");
            wrapped.add(new HostFunction(function.module(), function.name(), function.functionType(),
                    (instance, args) -> {
                        try {
                            control.enterHostCall();
                            long[] result = inner.apply(instance, args);
                            return writes && !endWrite() ? new long[] {WASI_EIO} : result;
                        } finally {
                            control.exitHostCall();
                        }
                    }));
        }
        return wrapped;
    }

    /** Hands what an fd_write wrote to the caller's streams; false when one of them refused it. */
    private boolean endWrite() {
        return handOver(stdout) & handOver(stderr);
    }

    private static boolean handOver(CallBufferedOutputStream stream) {
        try {
            stream.endCall();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Hands over any output a trapped or stopped call left behind, then closes Chicory's descriptors. */
    @Override
    public void close() {
        endWrite();
        wasi.close();
    }
}
