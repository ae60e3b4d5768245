package dev.wasmbpf.daemon;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code /v1/modules} and {@code /v1/uploads} endpoints over a {@link ModuleTable}. Every body and query value
 * is checked here or in {@link ModuleSpec}/{@link ModuleSources}; a refusal names the field (see docs/api.md).
 */
final class ModuleApi {
    /** A create request is a few fields: anything near this size is not one. */
    static final int MAX_JSON_BODY = 64 * 1024;
    /** How long a {@code logs?follow=true} reader waits for output before checking whether the module ended. */
    private static final long FOLLOW_POLL_MILLIS = 500;

    private static final int FOLLOW_CHUNK = 16 * 1024;

    private final ModuleTable table;
    private final int maxUpload;

    ModuleApi(ModuleTable table, int maxUpload) {
        this.table = table;
        this.maxUpload = maxUpload;
    }

    /** Adds this API's endpoints to {@code routes}. */
    void register(RouteTable routes) {
        routes.add("POST", "/v1/modules", this::create)
                .add("GET", "/v1/modules", this::list)
                .add(
                        "GET",
                        "/v1/modules/{id}",
                        e -> e.reply(200, table.find(e.path("id")).inspect()))
                .add("DELETE", "/v1/modules/{id}", this::remove)
                .add("GET", "/v1/modules/{id}/logs", this::logs)
                .add("POST", "/v1/modules/{id}/pause", this::pause)
                .add("POST", "/v1/modules/{id}/resume", this::resume)
                .add("POST", "/v1/modules/{id}/stop", this::stop)
                .add("POST", "/v1/uploads", this::upload);
    }

    /**
     * Creates a module. With {@code follow=true} the answer is not the JSON summary but the module's output, streamed
     * as {@code logs?follow=true} streams it (the id in {@code Location}), as {@code docker run} without {@code -d}
     * shows it: deploy and watch in one request, so a shell client spawns one curl, not two. The module keeps running
     * when the client goes away.
     */
    private void create(Exchange exchange) throws Exception {
        // Read before anything is started: a bad value is a 400 and starts nothing.
        boolean follow = exchange.flag("follow");
        ModuleSpec spec = exchange.json(ModuleSpec.class, MAX_JSON_BODY);
        StartupTimeline startup = new StartupTimeline(exchange.receivedNanos());
        ManagedModule module = table.create(spec, null, startup);
        if (follow) {
            exchange.header("Location", "/v1/modules/" + module.id);
            startup.mark(StartupTimeline.Step.ANSWERED);
            OutputLog log = module.log;
            exchange.stream(201, "text/plain; charset=utf-8", out -> {
                // Commits the status and Location now: the client knows the id before the first output.
                out.flush();
                follow(log, out);
            });
            return;
        }
        Map<String, Object> summary = module.summary();
        startup.mark(StartupTimeline.Step.ANSWERED);
        exchange.reply(201, summary);
    }

    private void list(Exchange exchange) {
        boolean all = exchange.flag("all");
        exchange.reply(
                200,
                table.all().stream()
                        // As docker ps: a module waiting to be restarted is listed.
                        .filter(m -> all || !m.state().equals("exited"))
                        .map(ManagedModule::summary)
                        .toList());
    }

    private void remove(Exchange exchange) throws InterruptedException {
        boolean force = exchange.flag("force");
        exchange.reply(200, table.remove(exchange.path("id"), force).summary());
    }

    private void pause(Exchange exchange) {
        ManagedModule module = table.find(exchange.path("id"));
        String state = module.state();
        if (!state.equals("running") && !state.equals("starting")) {
            throw ApiException.conflict("id", "cannot pause module " + exchange.path("id") + ": it is " + state);
        }
        module.running().pause();
        Daemon.log("module " + module.id + " (" + module.name + ") paused");
        exchange.reply(200, module.summary());
    }

    private void resume(Exchange exchange) {
        ManagedModule module = table.find(exchange.path("id"));
        if (!module.state().equals("paused")) {
            throw ApiException.conflict(
                    "id", "cannot resume module " + exchange.path("id") + ": it is " + module.state());
        }
        module.running().resume();
        Daemon.log("module " + module.id + " (" + module.name + ") resumed");
        exchange.reply(200, module.summary());
    }

    private void stop(Exchange exchange) throws InterruptedException {
        Duration grace =
                exchange.query("time").map(ModuleApi::seconds).orElse(dev.wasmbpf.runtime.RunningModule.STOP_GRACE);
        exchange.reply(200, table.stop(exchange.path("id"), grace).summary());
    }

    private static Duration seconds(String value) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("time", "time must be whole seconds from 0 to 3600, not " + value);
    }

    private void logs(Exchange exchange) {
        boolean follow = exchange.flag("follow");
        ManagedModule module = table.find(exchange.path("id"));
        if (!follow) {
            exchange.text(200, module.log.text());
            return;
        }
        OutputLog log = module.log;
        exchange.stream(200, "text/plain; charset=utf-8", out -> follow(log, out));
    }

    /**
     * Writes what the log keeps, then everything the guest writes, until the module ends or the client goes away
     * (a write then fails). A reader slower than the guest loses the bytes the ring overwrote, and is told how many.
     */
    private static void follow(OutputLog log, OutputStream out) throws java.io.IOException, InterruptedException {
        long next = log.first();
        while (true) {
            OutputLog.Chunk chunk = log.await(next, FOLLOW_CHUNK, FOLLOW_POLL_MILLIS);
            if (chunk.dropped() > 0) {
                out.write(OutputLog.droppedLine(chunk.dropped()).getBytes(StandardCharsets.UTF_8));
            }
            if (chunk.bytes().length > 0) {
                out.write(chunk.bytes());
                out.flush();
            }
            next = chunk.next();
            if (log.ended() && next >= log.written()) {
                return;
            }
        }
    }

    private void upload(Exchange exchange) throws Exception {
        String type =
                exchange.header(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE).orElse("");
        if (!type.equals("application/wasm") && !type.equals("application/octet-stream")) {
            throw new ApiException(
                    415,
                    "Content-Type",
                    "an upload is a Wasm module sent as application/wasm, not " + (type.isEmpty() ? "no type" : type));
        }
        byte[] bytes = exchange.body(maxUpload);
        String source = table.sources().upload(bytes);
        Daemon.log("upload " + source + " (" + bytes.length + " bytes)");
        exchange.reply(201, Map.of("source", source, "size", bytes.length));
    }
}
