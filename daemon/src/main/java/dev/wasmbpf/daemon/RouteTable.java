package dev.wasmbpf.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's endpoints: method and path template ({@code /v1/modules/{id}/logs}) to the code serving them. One
 * table, read in order, so that a new endpoint is one {@link #add} line; a path no template matches is
 * {@code 404} naming {@code path}, a known path with another method {@code 405} naming {@code method} (with
 * {@code Allow}). An {@link ApiException} thrown by an endpoint becomes its JSON error; anything else a
 * {@code 500} and one line on the daemon's stderr — the daemon keeps serving.
 */
final class RouteTable {
    /** Serves one request; replies through the exchange (or throws {@link ApiException}). */
    @FunctionalInterface
    interface Endpoint {
        void serve(Exchange exchange) throws Exception;
    }

    private record Route(String method, String template, Pattern pattern, List<String> names, Endpoint endpoint) {}

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z]+)}");

    private final List<Route> routes = new ArrayList<>();

    /**
     * Adds an endpoint.
     *
     * @param method the HTTP method
     * @param template the path; {@code {name}} matches one non-empty segment, read with {@link Exchange#path(String)}
     * @param endpoint what serves it
     * @return this table
     */
    RouteTable add(String method, String template, Endpoint endpoint) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAMETER.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, template, Pattern.compile(regex.toString()), names, endpoint));
        return this;
    }

    /** Finds the endpoint for the exchange's method and path and runs it. Never throws. */
    void dispatch(Exchange exchange) {
        try {
            Set<String> allowed = new LinkedHashSet<>();
            for (Route route : routes) {
                Matcher m = route.pattern().matcher(exchange.path());
                if (!m.matches()) {
                    continue;
                }
                if (!route.method().equals(exchange.method())) {
                    allowed.add(route.method());
                    continue;
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < route.names().size(); i++) {
                    parameters.put(route.names().get(i), m.group(i + 1));
                }
                exchange.bind(parameters);
                route.endpoint().serve(exchange);
                return;
            }
            if (allowed.isEmpty()) {
                throw ApiException.notFound("path", "no such endpoint: " + exchange.path());
            }
            exchange.header("Allow", String.join(", ", allowed));
            throw new ApiException(
                    405,
                    "method",
                    exchange.method() + " not allowed on " + exchange.path() + " (allowed: "
                            + String.join(", ", allowed) + ")");
        } catch (ApiException e) {
            exchange.fail(e);
        } catch (Exception | LinkageError e) {
            Daemon.log("internal error on " + exchange.method() + " " + exchange.path() + ": " + e);
            exchange.fail(new ApiException(500, "", "internal error: " + e));
        }
    }
}
