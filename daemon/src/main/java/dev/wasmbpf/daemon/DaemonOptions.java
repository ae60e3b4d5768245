package dev.wasmbpf.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The daemon's command line: {@code wasm-bpf daemon [OPTIONS]}. Parsed by hand (no picocli on the daemon's start-up
 * path); a new option is one {@code case} in {@link #parse} and one line in {@link #USAGE}.
 *
 * @param socket the Unix socket served
 * @param group the group owning the socket, or null
 * @param modulePath roots under which {@code source} may name local files
 * @param insecureRegistries registry hosts pulled from over plain HTTP
 * @param maxUpload the largest module {@code POST /v1/uploads} accepts, in bytes
 * @param modulesDir the declared-modules directory ({@link DeclaredModules}), or null
 * @param metrics where {@code /metrics} is served (Prometheus text format), or null for nowhere
 * @param listen a TCP address also serving the API, or null; never without {@code tokenFile}
 * @param tokenFile the bearer token every TCP request must carry, or null
 * @param compiledModules how many compiled modules the daemon keeps in memory by digest ({@link CompiledModules});
 *     0 parses and compiles every start afresh
 */
record DaemonOptions(
        Path socket,
        String group,
        List<Path> modulePath,
        Set<String> insecureRegistries,
        int maxUpload,
        Path modulesDir,
        InetSocketAddress metrics,
        InetSocketAddress listen,
        Path tokenFile,
        int compiledModules) {
    static final Path DEFAULT_SOCKET = Path.of("/run/wasm-bpf/wasm-bpf.sock");
    static final int DEFAULT_MAX_UPLOAD = 16 << 20;

    static final String USAGE = """
            usage: wasm-bpf daemon [OPTIONS]
              --socket PATH               Unix socket to serve (default /run/wasm-bpf/wasm-bpf.sock, mode 0660)
              --group GROUP               group owning the socket
              --module-path DIR           allow modules from local files under DIR (repeatable; default none)
              --insecure-registry HOST    pull from HOST[:PORT] over plain HTTP (repeatable)
              --max-upload BYTES          largest module POST /v1/uploads accepts (default 16777216)
              --modules-dir DIR           run the modules declared in DIR's *.yaml/*.yml/*.json files, kept in step
              --metrics [HOST:]PORT       serve Prometheus metrics at /metrics (off by default; host 127.0.0.1)
              --listen [HOST:]PORT        also serve the API on TCP (host 127.0.0.1); needs --token-file
              --token-file FILE           bearer token every TCP request must send (Authorization: Bearer …)
              --compiled-modules N        compiled modules kept in memory by digest for the next start (default 32;
                                          0: parse and compile every start afresh)""";

    DaemonOptions {
        modulePath = List.copyOf(modulePath);
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    /** Parses {@code args}; a bad option is an {@link IllegalArgumentException} with a one-line message. */
    static DaemonOptions parse(String[] args) {
        Path socket = DEFAULT_SOCKET;
        String group = null;
        List<Path> modulePath = new ArrayList<>();
        Set<String> insecure = new LinkedHashSet<>();
        int maxUpload = DEFAULT_MAX_UPLOAD;
        Path modulesDir = null;
        InetSocketAddress metrics = null;
        InetSocketAddress listen = null;
        Path tokenFile = null;
        int compiledModules = CompiledModules.DEFAULT_CAPACITY;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--socket" -> socket = Path.of(value(args, ++i, option));
                case "--group" -> group = value(args, ++i, option);
                case "--module-path" -> {
                    Path root = Path.of(value(args, ++i, option));
                    if (!root.isAbsolute()) {
                        throw new IllegalArgumentException("--module-path needs an absolute directory, not " + root);
                    }
                    modulePath.add(root);
                }
                case "--insecure-registry" -> insecure.add(value(args, ++i, option));
                case "--max-upload" -> {
                    String text = value(args, ++i, option);
                    try {
                        maxUpload = Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--max-upload needs a number of bytes, not " + text);
                    }
                    if (maxUpload <= 0) {
                        throw new IllegalArgumentException("--max-upload must be positive, not " + text);
                    }
                }
                case "--modules-dir" -> modulesDir = Path.of(value(args, ++i, option));
                case "--metrics" -> metrics = address(value(args, ++i, option), option);
                case "--listen" -> listen = address(value(args, ++i, option), option);
                case "--token-file" -> tokenFile = Path.of(value(args, ++i, option));
                case "--compiled-modules" -> {
                    String text = value(args, ++i, option);
                    try {
                        compiledModules = Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--compiled-modules needs a number of modules, not " + text);
                    }
                    if (compiledModules < 0) {
                        throw new IllegalArgumentException("--compiled-modules must be 0 or more, not " + text);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (listen != null && tokenFile == null) {
            // The socket's file mode is the API's access control; on TCP only a token stands in for it.
            throw new IllegalArgumentException(
                    "--listen needs --token-file: the API is not served on TCP without a token");
        }
        return new DaemonOptions(
                socket,
                group,
                modulePath,
                insecure,
                maxUpload,
                modulesDir,
                metrics,
                listen,
                tokenFile,
                compiledModules);
    }

    /** {@code PORT}, {@code HOST:PORT} or {@code [IPv6]:PORT}; the host defaults to loopback. */
    static InetSocketAddress address(String text, String option) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs [HOST:]PORT, not " + text);
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException(option + " needs [HOST:]PORT with a port from 0 to 65535, not " + text);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(option + ": unknown host " + host);
        }
        return address;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
