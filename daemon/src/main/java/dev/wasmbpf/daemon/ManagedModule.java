package dev.wasmbpf.daemon;

import dev.wasmbpf.runtime.RunEvent;
import dev.wasmbpf.runtime.RunEventListener;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.runtime.RunStats;
import dev.wasmbpf.runtime.RunningModule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One module the daemon runs: what was asked ({@link ModuleSpec}), where its bytes came from, the running module,
 * its output ({@link OutputLog}) and what its run events said (kernel objects held, how it ended). The daemon keeps
 * an ended module, like {@code docker ps -a}, until it is removed.
 */
final class ManagedModule implements RunEventListener {
    static final int LOG_CAPACITY = 256 * 1024;

    final String id;
    final String name;
    final ModuleSpec spec;
    final ModuleSources.Resolved source;
    final Instant created = Instant.now();
    final OutputLog log = new OutputLog(LOG_CAPACITY);
    /** Restart count, last exit and a pending restart (see {@link Restarter}). */
    final RestartState restarts = new RestartState();
    /** The declared-modules file this module comes from, or null when it was created through the API. */
    final String declaredIn;
    /** Host diagnostics (trap, time-out, refused attach) go into the module's output, as the CLI prints them on stderr. */
    private final RunEventListener diagnostics = RunEventListener.diagnostics(log);

    private volatile RunningModule running;
    private volatile boolean stopRequested;
    /** Whether this run started from a module the daemon had compiled already ({@link CompiledModules}). */
    private volatile boolean compiledFromCache;
    /** When each step of the current run's start happened (replaced by a restart's). */
    private volatile StartupTimeline startup = StartupTimeline.now();
    // What the lifecycle events said. Written on the guest thread, read by API threads.
    private int objects;
    private int programs;
    private int maps;
    private int links;
    private RunResult result;
    private RunStats endStats;
    private Instant ended;
    private Instant runStarted;

    private final java.util.function.Consumer<ManagedModule> onEnd;

    ManagedModule(
            String id,
            String name,
            ModuleSpec spec,
            ModuleSources.Resolved source,
            String declaredIn,
            java.util.function.Consumer<ManagedModule> onEnd) {
        this.declaredIn = declaredIn;
        this.id = id;
        this.name = name;
        this.spec = spec;
        this.source = source;
        this.onEnd = onEnd;
    }

    /** How the run ended; null while it runs. */
    synchronized RunResult result() {
        return result;
    }

    /**
     * A run is about to start: the first, or a restart's, which forgets what the previous run held and how it ended
     * (its end is kept in {@link #restarts}). Called before the runtime starts the guest, whose first events may come
     * before {@link #started} is.
     */
    void starting(StartupTimeline timeline) {
        synchronized (this) {
            objects = programs = maps = links = 0;
            result = null;
            endStats = null;
            ended = null;
            runStarted = Instant.now();
        }
        stopRequested = false;
        log.reopen();
        // After the reopen: the previous run's first output must not count as this run's.
        this.startup = timeline;
    }

    StartupTimeline startup() {
        return startup;
    }

    void compiledFromCache(boolean fromCache) {
        this.compiledFromCache = fromCache;
    }

    void started(RunningModule module) {
        this.running = module;
    }

    /** How long the last run ran (to its end, or until now). */
    synchronized Duration lastRunTime() {
        return runStarted == null ? Duration.ZERO : Duration.between(runStarted, ended != null ? ended : Instant.now());
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Restarts of this module so far (read by the metrics). */
    int restartCount() {
        return restarts.count();
    }

    RunningModule running() {
        return running;
    }

    @Override
    public void onEvent(RunEvent event) {
        synchronized (this) {
            switch (event) {
                case RunEvent.ObjectLoaded loaded -> {
                    startup.mark(StartupTimeline.Step.OBJECT_LOADED);
                    startup.openAndLoad(loaded.openAndLoad());
                    objects++;
                    programs += loaded.programs().size();
                    maps += loaded.maps().size();
                }
                case RunEvent.ProgramAttached attached -> {
                    startup.mark(StartupTimeline.Step.ATTACHED);
                    links++;
                }
                case RunEvent.Ready ready -> startup.mark(StartupTimeline.Step.READY);
                case RunEvent.Ended end -> {
                    // Ended comes after the release: the run holds nothing any more.
                    objects = programs = maps = links = 0;
                    result = end.result();
                    endStats = end.stats();
                    ended = Instant.now();
                }
                default -> {}
            }
        }
        diagnostics.onEvent(event);
        if (event instanceof RunEvent.Ended) {
            log.end();
            Daemon.log("module " + id + " (" + name + ") ended: " + event.describe());
            onEnd.accept(this);
        }
    }

    /** Whether the run is over: its Ended event came (or its thread failed without one). */
    boolean ended() {
        synchronized (this) {
            if (result != null) {
                return true;
            }
        }
        RunningModule module = running;
        return module != null && module.isDone();
    }

    void requestStop(Duration grace) {
        stopRequested = true;
        running.terminate(grace);
    }

    String state() {
        if (restarts.pending()) {
            return "restarting";
        }
        if (ended()) {
            return "exited";
        }
        if (stopRequested) {
            return "stopping";
        }
        if (running.isPaused()) {
            return "paused";
        }
        return running.isReady() ? "running" : "starting";
    }

    private RunStats stats() {
        synchronized (this) {
            if (endStats != null) {
                return endStats;
            }
        }
        return running.stats();
    }

    /** What the metrics read of a module at scrape time ({@link DaemonMetrics}). */
    record Reading(
            String state,
            double uptimeSeconds,
            double cpuSeconds,
            long samplesDelivered,
            long memoryBytes,
            int programs,
            int maps,
            int links,
            long droppedOutputBytes,
            int restarts,
            java.util.List<RunStats.HostCalls> hostCalls) {}

    Reading reading() {
        String state = state();
        RunStats stats = stats();
        synchronized (this) {
            return new Reading(
                    state,
                    lastRunTime().toNanos() / 1e9,
                    running.cpuTime().toNanos() / 1e9,
                    stats.samplesDelivered(),
                    running.memoryBytes(),
                    programs,
                    maps,
                    links,
                    log.dropped(),
                    restartCount(),
                    stats.hostCalls());
        }
    }

    /** One line of {@code GET /v1/modules}: what {@code ps} shows. */
    Map<String, Object> summary() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", name);
        body.put("source", spec.source());
        body.put("state", state());
        body.put("created", created.toString());
        synchronized (this) {
            body.put("ended", ended == null ? null : ended.toString());
            body.put("exitCode", result == null ? null : result.exitCode());
        }
        body.put("samplesDelivered", stats().samplesDelivered());
        body.put("cpuSeconds", running.cpuTime().toNanos() / 1e9);
        body.put("restartPolicy", spec.restartPolicy());
        body.put("restartCount", restarts.count());
        body.put("droppedOutputBytes", log.dropped());
        return body;
    }

    /** {@code GET /v1/modules/ID}: the summary and everything else known about the run. */
    Map<String, Object> inspect() {
        Map<String, Object> body = summary();
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("kind", source.kind());
        from.put("resolved", source.source());
        from.put("digest", source.digest());
        from.put("bytes", source.bytes().length);
        body.put("module", from);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("args", spec.args());
        config.put("env", spec.env());
        config.put("timeout", spec.timeout());
        config.put("maxMemory", spec.maxMemory());
        config.put("allowAttach", spec.allowAttach());
        config.put("engine", "compiler");
        body.put("config", config);
        body.put("compiledFromCache", compiledFromCache);
        StartupTimeline timeline = startup;
        long firstOutput = log.firstWriteNanos();
        if (firstOutput != 0) {
            timeline.mark(StartupTimeline.Step.FIRST_OUTPUT, firstOutput);
        }
        body.put("startup", timeline.describe());
        synchronized (this) {
            body.put("result", result == null ? null : describe(result));
            Map<String, Object> held = new LinkedHashMap<>();
            held.put("objects", objects);
            held.put("programs", programs);
            held.put("maps", maps);
            held.put("links", links);
            body.put("kernelObjects", held);
        }
        body.put("lastExit", restarts.lastExit());
        body.put("declaredIn", declaredIn);
        body.put("memoryBytes", running.memoryBytes());
        body.put("outputBytes", log.written());
        body.put(
                "hostCalls",
                stats().hostCalls().stream().map(ManagedModule::describe).toList());
        return body;
    }

    static Map<String, Object> describe(RunResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("exitCode", result.exitCode());
        switch (result) {
            case RunResult.Exited exited -> body.put("kind", "exited");
            case RunResult.Trapped trapped -> {
                body.put("kind", "trapped");
                body.put("message", trapped.message());
                body.put("wasmStackTrace", trapped.wasmStackTrace());
            }
            case RunResult.Terminated terminated -> body.put("kind", "terminated");
            case RunResult.TimedOut timedOut -> {
                body.put("kind", "timed-out");
                body.put("message", "terminated after " + timedOut.timeout());
            }
            case RunResult.MemoryLimitExceeded exceeded -> {
                body.put("kind", "memory-limit");
                body.put("message", exceeded.trapMessage() + " (limit " + exceeded.limitBytes() + " bytes)");
            }
        }
        return body;
    }

    private static Map<String, Object> describe(RunStats.HostCalls calls) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("module", calls.module());
        body.put("function", calls.function());
        body.put("calls", calls.calls());
        Map<String, Long> errors = new LinkedHashMap<>();
        calls.errors().forEach((errno, count) -> errors.put(Integer.toString(errno), count));
        body.put("errors", errors);
        return body;
    }
}
