package dev.wasmbpf.daemon;

import dev.wasmbpf.oci.ModuleCache;
import java.net.InetSocketAddress;
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
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import sun.misc.Signal;

/**
 * The node agent: one warm JVM serving the {@code /v1/} HTTP/JSON API on a Unix domain socket and running many
 * modules in it ({@link ModuleTable}). The endpoints are one {@link RouteTable}: {@link #routes()} before
 * {@link #serve()} adds more. SIGTERM/SIGINT stop every module (releasing its kernel objects), the server, remove
 * the socket and exit 0.
 */
public final class Daemon implements AutoCloseable {
    private final DaemonOptions options;
    private final Server server;
    private final RouteTable routes = new RouteTable();
    private final RouteTable metricsRoutes = new RouteTable();
    private final TokenAuth token;
    private final ServerConnector tcpConnector;
    private final ServerConnector metricsConnector;
    private final ModuleTable modules;
    private final Restarter restarter;
    private final DeclaredModules declared;
    private final Instant started = Instant.now();

    private Daemon(DaemonOptions options) {
        this.options = options;
        this.modules = new ModuleTable(
                new ModuleSources(options.modulePath(), options.insecureRegistries(), ModuleCache.atDefaultLocation()),
                new CompiledModules(options.compiledModules()));
        this.restarter = new Restarter(modules);
        this.server = new Server();
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
        connector.setUnixDomainPath(options.socket());
        server.addConnector(connector);
        // The API on TCP only with a token (DaemonOptions refuses --listen without --token-file).
        this.token = options.listen() == null ? null : TokenAuth.fromFile(options.tokenFile());
        this.tcpConnector = options.listen() == null ? null : tcpConnector(options.listen());
        // Metrics on their own TCP address, never on the API's socket: a scraper needs no access to the API.
        this.metricsConnector = options.metrics() == null ? null : tcpConnector(options.metrics());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Exchange exchange = new Exchange(request, response, callback);
                Connector via = request.getConnectionMetaData().getConnector();
                if (via == metricsConnector) {
                    metricsRoutes.dispatch(exchange);
                    return true;
                }
                log(exchange.method() + " " + exchange.path() + (via == tcpConnector ? " (tcp)" : ""));
                if (via == tcpConnector && !token.allows(exchange.requestHeader(HttpHeader.AUTHORIZATION))) {
                    exchange.header("WWW-Authenticate", "Bearer");
                    exchange.fail(new ApiException(
                            401,
                            "Authorization",
                            "the API on TCP needs the daemon's token: Authorization: Bearer <token>"));
                    return true;
                }
                routes.dispatch(exchange);
                return true;
            }
        });
        routes.add("GET", "/v1/health", e -> e.reply(200, Map.of("status", "ok")))
                .add("GET", "/v1/version", e -> e.reply(200, version()));
        new ModuleApi(modules, options.maxUpload()).register(routes);
        this.declared = options.modulesDir() == null ? null : new DeclaredModules(options.modulesDir(), modules);
        if (metricsConnector != null) {
            new DaemonMetrics(modules, declared()).register(metricsRoutes);
        }
        routes.add(
                "GET",
                "/v1/declared",
                e -> e.reply(200, declared == null ? DeclaredModules.none() : declared.describe()));
    }

    private ServerConnector tcpConnector(InetSocketAddress address) {
        ServerConnector tcp = new ServerConnector(server);
        tcp.setHost(address.getHostString());
        tcp.setPort(address.getPort());
        server.addConnector(tcp);
        return tcp;
    }

    /** The local port of the {@code --metrics} address (its port 0 picks a free one), or -1 when off. */
    int metricsPort() {
        return metricsConnector == null ? -1 : metricsConnector.getLocalPort();
    }

    /** The local port of the {@code --listen} address, or -1 when off. */
    int tcpPort() {
        return tcpConnector == null ? -1 : tcpConnector.getLocalPort();
    }

    /** A daemon with its endpoints registered, not serving yet. */
    static Daemon create(DaemonOptions options) {
        return new Daemon(options);
    }

    /** The endpoint table; add to it before {@link #serve()}. */
    RouteTable routes() {
        return routes;
    }

    /** The modules; the declared-modules directory starts and stops its modules through it. */
    ModuleTable modules() {
        return modules;
    }

    /** The declared-modules directory, when {@code --modules-dir} was given (its broken-file gauge and error counter). */
    java.util.Optional<DeclaredModules> declared() {
        return java.util.Optional.ofNullable(declared);
    }

    /** Starts serving on the socket (mode 0660, owned by the group when one is given). */
    Daemon serve() throws Exception {
        Path socket = options.socket();
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A socket file left by a daemon that was killed would make bind fail with EADDRINUSE.
        Files.deleteIfExists(socket);
        server.start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        if (options.group() != null) {
            GroupPrincipal principal =
                    socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(options.group());
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
        }
        log("listening on unix:" + socket.toAbsolutePath());
        if (tcpConnector != null) {
            log("listening on tcp:" + options.listen().getHostString() + ":" + tcpPort() + " (bearer token required)");
        }
        if (metricsConnector != null) {
            log("metrics on http://" + options.metrics().getHostString() + ":" + metricsPort() + DaemonMetrics.PATH);
        }
        if (declared != null) {
            declared.start();
        }
        return this;
    }

    private Map<String, Object> version() {
        Map<String, Object> body = new LinkedHashMap<>();
        String version = Daemon.class.getPackage().getImplementationVersion();
        body.put("version", version != null ? version : "0.1.0-SNAPSHOT");
        body.put("api", "v1");
        body.put("started", started.toString());
        return body;
    }

    /** One line per event on stderr, prefixed with the time. */
    static void log(String event) {
        System.err.println(Instant.now() + " wasm-bpf daemon: " + event);
    }

    /** Stops serving, then stops every module and waits for its kernel objects to be released. */
    @Override
    public void close() throws Exception {
        server.stop();
        if (declared != null) {
            declared.close();
        }
        modules.close();
        restarter.close();
        Files.deleteIfExists(options.socket());
        log("stopped");
    }

    /** {@code wasm-bpf daemon [OPTIONS]} (see {@link DaemonOptions#USAGE}); returns the exit status. */
    public static int run(String[] args) {
        DaemonOptions options;
        try {
            options = DaemonOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("wasm-bpf daemon: " + e.getMessage() + "\n" + DaemonOptions.USAGE);
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // Handled signals (not a shutdown hook) so that a stop by SIGTERM/SIGINT exits 0, not 143/130.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log("SIG" + signal.getName() + ": stopping");
                stop.countDown();
            });
        }
        Daemon daemon;
        try {
            daemon = create(options);
        } catch (IllegalArgumentException e) {
            System.err.println("wasm-bpf daemon: " + e.getMessage());
            return 2;
        }
        try (Daemon serving = daemon.serve()) {
            stop.await();
        } catch (Exception e) {
            log("failed: " + e);
            return 1;
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
