package dev.wasmbpf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The training run of the client commands' JDK AOT cache ({@code wasm-bpf-client.aot}): {@code run -d} and
 * {@code ps} against a stand-in daemon on a Unix socket of its own, so that the classes they load (jackson-core, the
 * client, picocli's use of the JDK, the JDK's socket and {@code java.time} code) are in the cache.
 *
 * <p>The client commands get a cache of their own because they share almost nothing with a module run: the module
 * run's cache holding their classes too cost every module run ~5 MiB of peak RSS (measured, docs/benchmarks.md
 * "Client commands"). A real daemon cannot run in the build, hence the stand-in. The launcher sets {@value #ENV} to
 * {@code client} when it records that cache ({@code WASM_BPF_AOT=train ./wasm-bpf ps}); nothing here runs otherwise.
 */
final class AotTraining {
    static final String ENV = "WASM_BPF_AOT_TRAINING";

    private static final String MODULE_LIST = """
            [{"id":"0123456789ab","name":"training","source":"bootstrap","state":"exited","exitCode":0,\
            "created":"2026-01-01T00:00:00Z","ended":"2026-01-01T00:00:01.5Z","samplesDelivered":3,\
            "cpuSeconds":0.01}]""";

    private AotTraining() {}

    static boolean requested() {
        return "client".equals(System.getenv(ENV));
    }

    /**
     * Runs {@code run -d} and {@code ps} against a stand-in daemon, their output discarded; returns 0 when both
     * succeeded, else says why on stderr and returns 1 (the build's training run then fails).
     */
    static int runClientCommands() {
        try {
            List<Integer> statuses = clientCommands();
            if (statuses.equals(List.of(0, 0))) {
                return 0;
            }
            System.err.println("wasm-bpf: AOT training of the client commands: exit statuses " + statuses);
        } catch (IOException | RuntimeException e) {
            System.err.println("wasm-bpf: AOT training of the client commands failed: " + e);
        }
        return 1;
    }

    /** The exit statuses of {@code run -d} and {@code ps} against the stand-in daemon. */
    static List<Integer> clientCommands() throws IOException {
        PrintStream out = System.out;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("wasm-bpf-aot-training");
            Path socket = dir.resolve("daemon.sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                Thread daemon = Thread.ofPlatform().daemon().start(() -> serve(server));
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                String host = "unix://" + socket;
                int run = Main.commandLineFor(new String[] {"run"})
                        .execute("run", "-d", "-H", host, "--name", "training", "bootstrap", "-v");
                int ps = Main.commandLineFor(new String[] {"ps"}).execute("ps", "-a", "-H", host);
                daemon.interrupt();
                return List.of(run, ps);
            }
        } finally {
            System.setOut(out);
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("daemon.sock"));
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temp directory left behind; nothing else depends on it
                }
            }
        }
    }

    /** Answers each request as the daemon would: a created module's id, or the module list. */
    private static void serve(ServerSocketChannel server) {
        while (!Thread.currentThread().isInterrupted()) {
            try (SocketChannel client = server.accept()) {
                InputStream in = Channels.newInputStream(client);
                boolean create = requestLine(in).startsWith("POST ");
                String body = create ? "{\"id\":\"0123456789ab\"}" : MODULE_LIST;
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                OutputStream response = Channels.newOutputStream(client);
                response.write(("HTTP/1.1 " + (create ? "201 Created" : "200 OK")
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                response.write(bytes);
                response.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The request line; the headers and then the body (a Content-Length's worth) are read and dropped. */
    private static String requestLine(InputStream in) throws IOException {
        String requestLine = DaemonClient.line(in);
        int length = 0;
        for (String header = DaemonClient.line(in); !header.isEmpty(); header = DaemonClient.line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        header.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return requestLine;
    }
}
