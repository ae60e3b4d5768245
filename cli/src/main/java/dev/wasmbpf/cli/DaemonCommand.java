package dev.wasmbpf.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * A client command of the node agent ({@code ps}, {@code logs}, {@code stop} …): asks the daemon at {@code --host}
 * and turns every failure into one line on stderr and exit status 1 — the daemon unreachable, its JSON error
 * with the field it names, or an answer the client cannot read.
 */
abstract class DaemonCommand implements Callable<Integer> {
    /** Thrown by {@link #check}: the daemon refused the request. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Option(
            names = {"-H", "--host"},
            paramLabel = "unix:///PATH|tcp://HOST:PORT",
            description = "The daemon: its socket, or tcp://HOST:PORT with the token in $" + DaemonClient.TOKEN_ENV
                    + " (default: $" + DaemonClient.HOST_ENV + ", else " + DaemonClient.DEFAULT_HOST + ").")
    String host;

    @Override
    public final Integer call() {
        try {
            return run(DaemonClient.of(host));
        } catch (IllegalArgumentException | Refused | ClientJson.BadAnswer e) {
            System.err.println("wasm-bpf: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("wasm-bpf: " + e.getMessage());
            return 1;
        }
    }

    abstract int run(DaemonClient daemon) throws IOException, Refused;

    /** The reply when it is a success; else its error as a {@link Refused}. */
    static DaemonClient.Reply check(DaemonClient.Reply reply) throws Refused {
        if (!reply.ok()) {
            throw new Refused("Error response from daemon: " + reply.error());
        }
        return reply;
    }

    /** A module id or name as a path segment. */
    static String segment(String idOrName) {
        return URLEncoder.encode(idOrName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
