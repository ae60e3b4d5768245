package dev.wasmbpf.daemon;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import sun.misc.Signal;

/**
 * The node agent: one warm JVM serving the {@code /v1/} HTTP/JSON API on a Unix domain socket.
 *
 * <p>This first slice serves {@code /v1/health} and {@code /v1/version}; SIGTERM/SIGINT stop the server,
 * remove the socket and exit 0.
 */
public final class Daemon implements AutoCloseable {
    static final Path DEFAULT_SOCKET = Path.of("/run/wasm-bpf/wasm-bpf.sock");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Server server;
    private final Path socket;
    private final Instant started = Instant.now();

    private Daemon(Path socket) {
        this.socket = socket;
        this.server = new Server();
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                route(request, response, callback);
                return true;
            }
        });
    }

    /** Starts serving on {@code socket} (mode 0660, group {@code group} when not null). */
    public static Daemon start(Path socket, String group) throws Exception {
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A socket file left by a daemon that was killed would make bind fail with EADDRINUSE.
        Files.deleteIfExists(socket);
        Daemon daemon = new Daemon(socket);
        daemon.server.start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        if (group != null) {
            GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
        }
        log("listening on unix:" + socket.toAbsolutePath());
        return daemon;
    }

    private void route(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        log(method + " " + path);
        if (!"GET".equals(method) && (path.equals("/v1/health") || path.equals("/v1/version"))) {
            reply(response, callback, 405, error("method", method + " not allowed on " + path));
            return;
        }
        switch (path) {
            case "/v1/health" -> reply(response, callback, 200, Map.of("status", "ok"));
            case "/v1/version" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("version", version());
                body.put("api", "v1");
                body.put("started", started.toString());
                reply(response, callback, 200, body);
            }
            case "/v1/modules" -> {
                if ("POST".equals(method)) {
                    create(request, response, callback);
                } else {
                    reply(response, callback, 200, modules.values().stream().map(ManagedModule::summary).toList());
                }
            }
            default -> {
                if (path.startsWith("/v1/modules/")) {
                    one(path.substring("/v1/modules/".length()), method, response, callback);
                } else {
                    reply(response, callback, 404, error("path", "no such endpoint: " + path));
                }
            }
        }
    }

    /** The body of {@code POST /v1/modules}; unknown fields are refused by Jackson's default. */
    record CreateRequest(String source, String name, java.util.List<String> args) {}

    private final Map<String, ManagedModule> modules = new java.util.concurrent.ConcurrentHashMap<>();

    private void create(Request request, Response response, Callback callback) {
        CreateRequest create;
        try (java.io.InputStream in = Request.asInputStream(request)) {
            create = JSON.readValue(in, CreateRequest.class);
        } catch (tools.jackson.databind.exc.UnrecognizedPropertyException e) {
            reply(response, callback, 400, error(e.getPropertyName(), "unknown field " + e.getPropertyName()));
            return;
        } catch (tools.jackson.core.JacksonException e) {
            reply(response, callback, 400, error("body", "malformed JSON: " + e.getOriginalMessage()));
            return;
        } catch (Exception e) {
            reply(response, callback, 400, error("body", "malformed JSON: " + e.getMessage()));
            return;
        }
        if (create == null || create.source() == null || create.source().isBlank()) {
            reply(response, callback, 400, error("source", "source is required"));
            return;
        }
        if (!create.source().matches("[a-z0-9_-]+")) {
            reply(response, callback, 400, error("source", "not a bundled example name: " + create.source()));
            return;
        }
        byte[] wasm;
        try (java.io.InputStream in = Daemon.class.getResourceAsStream("/dev/wasmbpf/examples/" + create.source() + ".wasm")) {
            if (in == null) {
                reply(response, callback, 404, error("source", "no bundled example named " + create.source()));
                return;
            }
            wasm = in.readAllBytes();
        } catch (IOException e) {
            reply(response, callback, 500, error("source", e.toString()));
            return;
        }
        String id = java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextLong()).substring(0, 12);
        String name = create.name() != null ? create.name() : create.source() + "-" + id.substring(0, 6);
        ManagedModule module = new ManagedModule(id, name, create.source());
        synchronized (modules) {
            if (modules.values().stream().anyMatch(m -> m.name.equals(name))) {
                reply(response, callback, 409, error("name", "name taken: " + name));
                return;
            }
            try {
                dev.wasmbpf.runtime.RunConfig config = dev.wasmbpf.runtime.RunConfig.builder()
                        .args(create.args() != null ? create.args() : java.util.List.of())
                        .stdout(module.log)
                        .stderr(module.log)
                        .engine(dev.wasmbpf.runtime.Engine.COMPILER)
                        .build();
                module.running = dev.wasmbpf.runtime.WasmBpfRuntime.start(
                        dev.wasmbpf.runtime.WasmBpfModule.fromBytes(create.source(), wasm), config);
            } catch (Exception e) {
                reply(response, callback, 400, error("source", "cannot start: " + e.getMessage()));
                return;
            }
            modules.put(id, module);
        }
        log("module " + id + " (" + name + ") started from " + create.source());
        reply(response, callback, 201, module.summary());
    }

    private void one(String rest, String method, Response response, Callback callback) {
        boolean logs = rest.endsWith("/logs");
        String key = logs ? rest.substring(0, rest.length() - "/logs".length()) : rest;
        ManagedModule module = modules.values().stream()
                .filter(m -> m.id.equals(key) || m.name.equals(key))
                .findFirst()
                .orElse(null);
        if (module == null) {
            reply(response, callback, 404, error("id", "no module " + key));
            return;
        }
        if (logs) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            String text = module.log.text();
            long dropped = module.log.dropped();
            if (dropped > 0) {
                text = "[" + dropped + " bytes of older output dropped]\n" + text;
            }
            response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
        } else if ("DELETE".equals(method)) {
            // close(): terminate, force after the runtime's grace, release every kernel object.
            module.running.close();
            modules.remove(module.id);
            log("module " + module.id + " removed");
            reply(response, callback, 200, module.summary());
        } else {
            reply(response, callback, 200, module.summary());
        }
    }

    static Map<String, Object> error(String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return body;
    }

    private static void reply(Response response, Callback callback, int status, Object body) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap((new String(bytes, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static String version() {
        String version = Daemon.class.getPackage().getImplementationVersion();
        return version != null ? version : "0.1.0-SNAPSHOT";
    }

    /** One line per event on stderr, prefixed with the time. */
    static void log(String event) {
        System.err.println(Instant.now() + " wasm-bpf daemon: " + event);
    }

    @Override
    public void close() throws Exception {
        server.stop();
        for (ManagedModule module : modules.values()) {
            module.running.close();
            log("module " + module.id + " stopped");
        }
        Files.deleteIfExists(socket);
        log("stopped");
    }

    /** {@code wasm-bpf daemon [--socket PATH] [--group GROUP]}; returns the exit status. */
    public static int run(String[] args) {
        Path socket = DEFAULT_SOCKET;
        String group = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(value(args, ++i, "--socket"));
                case "--group" -> group = value(args, ++i, "--group");
                default -> {
                    System.err.println("wasm-bpf daemon: unknown option " + args[i] + " (known: --socket PATH, --group GROUP)");
                    return 2;
                }
            }
        }
        CountDownLatch stop = new CountDownLatch(1);
        // Handled signals (not a shutdown hook) so that a stop by SIGTERM/SIGINT exits 0, not 143/130.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log("SIG" + signal.getName() + ": stopping");
                stop.countDown();
            });
        }
        try (Daemon daemon = start(socket, group)) {
            stop.await();
        } catch (Exception e) {
            log("failed: " + e);
            return 1;
        }
        return 0;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
