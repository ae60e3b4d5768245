package dev.wasmbpf.cli;

import java.io.ByteArrayOutputStream;
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

/**
 * What a JDK AOT training run of the CLI does after its module: the daemon client's commands ({@code run -d},
 * {@code ps}), against a stand-in daemon on a Unix socket of its own, so that the classes those commands load
 * (jackson-core, the client, the JDK's socket and {@code java.time} code) are in the cache too.
 *
 * <p>The build trains with {@code bootstrap -h}, which needs no privileges but never reaches the client; a real
 * daemon cannot run there. Without this, a {@code wasm-bpf ps} loaded ~200 classes from the jar on every call
 * (docs/benchmarks.md, "Client commands"). The launcher sets {@value #ENV} when it records a cache; nothing here
 * runs otherwise, and a failure here only leaves those classes out of the cache.
 */
final class AotTraining {
    static final String ENV = "WASM_BPF_AOT_TRAINING";

    private static final String MODULE_LIST = """
            [{"id":"0123456789ab","name":"training","source":"bootstrap","state":"exited","exitCode":0,\
            "created":"2026-01-01T00:00:00Z","ended":"2026-01-01T00:00:01.5Z","samplesDelivered":3,\
            "cpuSeconds":0.01}]""";

    private AotTraining() {}

    static boolean requested() {
        return "1".equals(System.getenv(ENV));
    }

    /**
     * Runs {@code run -d} and {@code ps} against a stand-in daemon, their output discarded; says on stderr when one
     * failed (the cache then lacks some of what it loads, nothing else).
     */
    static void runClientCommands() {
        try {
            List<Integer> statuses = clientCommands();
            if (!statuses.equals(List.of(0, 0))) {
                System.err.println("wasm-bpf: AOT training of the client commands: exit statuses " + statuses);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("wasm-bpf: AOT training of the client commands skipped: " + e);
        }
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
                String head = head(in);
                String body = head.startsWith("POST ") ? "{\"id\":\"0123456789ab\"}" : MODULE_LIST;
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                OutputStream response = Channels.newOutputStream(client);
                response.write(("HTTP/1.1 " + (head.startsWith("POST ") ? "201 Created" : "200 OK")
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

    /** The request's head, with its body (a Content-Length's worth) read and dropped. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(
                        line.substring("content-length:".length()).trim()));
            }
        }
        return text;
    }
}
