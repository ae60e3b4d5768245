package dev.wasmbpf.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The client side of the daemon's API: HTTP/1.1 over its Unix socket, one request per connection; or over TCP
 * ({@code tcp://HOST:PORT}, a daemon started with {@code --listen}) with the bearer token of {@code $WASM_BPF_TOKEN}.
 *
 * <p>Hand-written on a JDK {@link SocketChannel} rather than a client library: the JDK's HttpClient cannot use a Unix
 * socket, and Jetty's client (which can) would add jetty-client and its thread pool to every {@code wasm-bpf ps};
 * the client needs only requests with a Content-Length and answers with a Content-Length or chunked (a followed
 * log), which fit in this class.
 */
final class DaemonClient {
    static final String HOST_ENV = "WASM_BPF_HOST";
    static final String DEFAULT_HOST = "unix:///run/wasm-bpf/wasm-bpf.sock";
    static final String TOKEN_ENV = "WASM_BPF_TOKEN";

    /** The daemon could not be reached; the message is the one line the user sees. */
    static final class Unreachable extends IOException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An answer of the daemon. */
    record Reply(int status, byte[] body) {
        /** The answer's JSON as plain values ({@link ClientJson}). */
        Object json() {
            return ClientJson.parse(body);
        }

        /** The answer's JSON object. */
        Map<String, Object> object() {
            return ClientJson.object(json(), "the answer");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The daemon's error, as the user reads it: its message and the field it names. */
        String error() {
            try {
                Map<String, Object> error = object();
                String field = error.get("field") instanceof String name ? name : "";
                String message = error.get("error") instanceof String given ? given : text();
                return message + (field.isEmpty() ? "" : " (" + field + ")");
            } catch (RuntimeException e) {
                return "HTTP " + status + ": " + text().strip();
            }
        }
    }

    private final String host;
    private final SocketAddress address;
    /** Sent as {@code Authorization: Bearer …} on TCP; null on the Unix socket, whose file mode is its guard. */
    private final String token;

    private DaemonClient(String host, SocketAddress address, String token) {
        this.host = host;
        this.address = address;
        this.token = token;
    }

    /**
     * The daemon at {@code host} ({@code unix:///path} or {@code tcp://HOST:PORT}); null means $WASM_BPF_HOST, else the
     * default socket.
     */
    static DaemonClient of(String host) {
        String chosen = host != null ? host : System.getenv().getOrDefault(HOST_ENV, DEFAULT_HOST);
        if (chosen.startsWith("unix:///")) {
            return new DaemonClient(
                    chosen, UnixDomainSocketAddress.of(Path.of(chosen.substring("unix://".length()))), null);
        }
        if (chosen.startsWith("tcp://")) {
            String hostPort = chosen.substring("tcp://".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                try {
                    int port = Integer.parseInt(hostPort.substring(colon + 1));
                    if (port > 0 && port <= 65535) {
                        String name = hostPort.substring(0, colon).replaceAll("^\\[(.*)\\]$", "$1");
                        String token = System.getenv(TOKEN_ENV);
                        return new DaemonClient(
                                chosen,
                                InetSocketAddress.createUnresolved(name, port),
                                token == null || token.isBlank() ? null : token.strip());
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
            }
        }
        throw new IllegalArgumentException("--host must be unix:///PATH/TO/SOCKET or tcp://HOST:PORT, not " + chosen);
    }

    Reply get(String path) throws IOException {
        return send("GET", path, null, new byte[0], null);
    }

    Reply post(String path, String json) throws IOException {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), null);
    }

    Reply send(String method, String path, String contentType, byte[] body) throws IOException {
        return send(method, path, contentType, body, null);
    }

    /** GETs {@code path} and copies the body to {@code out} as it arrives (a followed log); returns the status. */
    int stream(String path, OutputStream out) throws IOException {
        return send("GET", path, null, new byte[0], out).status();
    }

    private Reply send(String method, String path, String contentType, byte[] body, OutputStream sink)
            throws IOException {
        SocketChannel channel;
        try {
            if (address instanceof InetSocketAddress tcp) {
                channel = SocketChannel.open();
                channel.connect(new InetSocketAddress(tcp.getHostString(), tcp.getPort()));
            } else {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(address);
            }
        } catch (IOException e) {
            throw new Unreachable(
                    "cannot connect to the wasm-bpf daemon at " + host + ": " + reason(e)
                            + " (is 'wasm-bpf daemon' running? --host or " + HOST_ENV + " choose another)",
                    e);
        }
        try (channel) {
            OutputStream request = Channels.newOutputStream(channel);
            StringBuilder head = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: daemon\r\nConnection: close\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            request.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            request.write(body);
            request.flush();
            return read(new java.io.BufferedInputStream(Channels.newInputStream(channel)), sink);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.net.SocketException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Reads a response: status line, headers, then a Content-Length, chunked or read-to-end body. */
    private static Reply read(InputStream in, OutputStream sink) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer from the daemon: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        // Errors are read whole even when streaming, so that the caller can show them.
        OutputStream out = sink != null && code == 200 ? sink : new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                copy(in, out, size);
                line(in); // CRLF after the chunk
                out.flush();
            }
        } else if (length >= 0) {
            copy(in, out, length);
        } else {
            in.transferTo(out);
        }
        out.flush();
        return new Reply(code, out instanceof ByteArrayOutputStream buffer ? buffer.toByteArray() : new byte[0]);
    }

    private static long chunkSize(String line) throws IOException {
        int semicolon = line.indexOf(';');
        try {
            return Long.parseLong((semicolon >= 0 ? line.substring(0, semicolon) : line).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size from the daemon: " + line);
        }
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the daemon closed the connection " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** One CRLF- or LF-ended line of an HTTP head (also read by AotTraining's stand-in daemon). */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (line.isEmpty()) {
                    throw new IOException("the daemon closed the connection");
                }
                break;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
