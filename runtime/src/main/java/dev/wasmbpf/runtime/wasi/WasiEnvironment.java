package dev.wasmbpf.runtime.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.wasmbpf.runtime.Preopen;
import dev.wasmbpf.runtime.internal.ExecutionControl;
import dev.wasmbpf.runtime.internal.HostCallBoundary;
import dev.wasmbpf.runtime.internal.RunMonitor;
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
 * appears line by line even in a pipe, one {@code write(2)} per {@code fd_write}. Every WASI call goes
 * through the run's {@link HostCallBoundary} (WASI policy), so it is also a point where pause and terminate
 * apply.
 */
public final class WasiEnvironment implements Closeable {
    /** WASI's errno for an I/O error, returned when the caller's stream refuses what the guest wrote. */
    private static final int WASI_EIO = 29;

    private final WasiPreview1 wasi;
    private final CallBufferedOutputStream stdout;
    private final CallBufferedOutputStream stderr;
    private final List<HostFunction> functions;

    /** WASI outside a run (the host-ABI fuzzer): calls counted and events dropped. */
    public WasiEnvironment(
            List<String> argv,
            Map<String, String> env,
            List<Preopen> preopens,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            ExecutionControl control) {
        this(
                argv,
                env,
                preopens,
                stdin,
                stdout,
                stderr,
                new HostCallBoundary(control, new RunMonitor("guest", event -> {}, System.err)));
    }

    public WasiEnvironment(
            List<String> argv,
            Map<String, String> env,
            List<Preopen> preopens,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            HostCallBoundary boundary) {
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
        this.functions = WasiBounds.guard(withHandOver(wasi.toHostFunctions())).stream()
                .map(function -> boundary.wrap(HostCallBoundary.Family.WASI, function))
                .toList();
    }

    /** The WASI host functions, under {@code wasi_snapshot_preview1}, behind {@link WasiBounds}' checks. */
    public List<HostFunction> functions() {
        return functions;
    }

    /** fd_write hands what it wrote to the caller's streams before it returns (see {@link CallBufferedOutputStream}). */
    private List<HostFunction> withHandOver(HostFunction[] raw) {
        List<HostFunction> wrapped = new ArrayList<>(raw.length);
        for (HostFunction function : raw) {
            if (!function.name().equals("fd_write")) {
                wrapped.add(function);
                continue;
            }
            WasmFunctionHandle inner = function.handle();
            wrapped.add(
                    new HostFunction(function.module(), function.name(), function.functionType(), (instance, args) -> {
                        long[] result = inner.apply(instance, args);
                        return endWrite() ? result : new long[] {WASI_EIO};
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
