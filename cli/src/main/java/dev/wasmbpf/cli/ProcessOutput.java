package dev.wasmbpf.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process's stdout or stderr as the guest's output and a followed log write to it, with what SIGPIPE gives a
 * native tool: when the reader of a pipe has gone ({@code wasm-bpf bootstrap | head -3}), the work ends instead of
 * going on unread. A native libbpf tool (and the upstream C++ runtime, whose {@code fd_write} is a host
 * {@code write(2)}) is killed by SIGPIPE at that write; the JVM ignores SIGPIPE and {@code System.out} swallows the
 * error, so without this the run went on until it was killed otherwise.
 *
 * <p>A failed write is taken for a gone reader only when the descriptor is a pipe or a socket (read from
 * {@code /proc/self/fd}): the error's text is the C library's and may be translated, and a full disk under a
 * redirected file is not SIGPIPE's case (native code's {@code printf} fails there and goes on, and so does the
 * guest, which gets EIO). Nor is a caller that ignores SIGPIPE (systemd's {@code IgnoreSIGPIPE=yes}): a native tool
 * then gets EPIPE and goes on, and so does the guest. The JVM installs its own SIGPIPE handling before {@code main},
 * so the launcher, which still holds the inherited disposition, says so in {@value #SIGPIPE_IGNORED_ENV}.
 */
final class ProcessOutput extends OutputStream {
    /** How a shell reports a process that SIGPIPE ended: 128 + 13. */
    static final int EXIT_READER_GONE = 128 + 13;

    /** Set to 1 by the launcher when the process was started with SIGPIPE ignored. */
    static final String SIGPIPE_IGNORED_ENV = "WASM_BPF_SIGPIPE_IGNORED";

    /** The pipe's reader has gone; what follows would not be read either. */
    static final class ReaderGone extends IOException {
        ReaderGone(IOException cause) {
            super("the reader of standard output has gone", cause);
        }
    }

    private final FileOutputStream out;
    private final int fd;
    private final Runnable onReaderGone;
    private final AtomicBoolean gone = new AtomicBoolean();

    private ProcessOutput(FileDescriptor descriptor, int fd, Runnable onReaderGone) {
        this.out = new FileOutputStream(descriptor);
        this.fd = fd;
        this.onReaderGone = onReaderGone;
    }

    /** Standard output; {@code onReaderGone} runs once, at the first write that finds its pipe's reader gone. */
    static ProcessOutput stdout(Runnable onReaderGone) {
        return new ProcessOutput(FileDescriptor.out, 1, onReaderGone);
    }

    /** Standard error, likewise. */
    static ProcessOutput stderr(Runnable onReaderGone) {
        return new ProcessOutput(FileDescriptor.err, 2, onReaderGone);
    }

    /** Whether a write found the reader gone. */
    boolean readerGone() {
        return gone.get();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (gone.get()) {
            throw new ReaderGone(null);
        }
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            if (!isPipeOrSocket(fd) || "1".equals(System.getenv(SIGPIPE_IGNORED_ENV))) {
                throw e;
            }
            if (gone.compareAndSet(false, true)) {
                onReaderGone.run();
            }
            throw new ReaderGone(e);
        }
    }

    /** The descriptor is the process's: never closed here. */
    @Override
    public void close() {}

    private static boolean isPipeOrSocket(int fd) {
        try {
            String target =
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
