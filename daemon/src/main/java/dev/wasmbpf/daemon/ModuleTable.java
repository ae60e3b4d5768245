package dev.wasmbpf.daemon;

import dev.wasmbpf.runtime.Engine;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunningModule;
import dev.wasmbpf.runtime.WasmBpfRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The daemon's modules by id, with unique names. The one place that starts, stops and removes modules: the API and
 * the declared-modules directory both come through here, so both get the same checks and answers.
 */
final class ModuleTable implements AutoCloseable {
    /** How long {@link #stop} and removal wait beyond the grace for the run's cleanup before answering. */
    private static final Duration CLEANUP_PATIENCE = Duration.ofSeconds(30);

    private final ModuleSources sources;
    /** Compiled modules by digest: a module started again (any name, or a restart) skips parse and compile. */
    private final CompiledModules compiled;

    private final Map<String, ManagedModule> modules = new LinkedHashMap<>();
    /** Names of modules being created (source pulled, module compiled) outside the lock. */
    private final Set<String> reserved = new HashSet<>();

    private final List<java.util.function.Consumer<ManagedModule>> endListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    ModuleTable(ModuleSources sources, CompiledModules compiled) {
        this.sources = sources;
        this.compiled = compiled;
    }

    CompiledModules compiled() {
        return compiled;
    }

    /**
     * Calls {@code listener} on the module's guest thread when a module's run ended (after its kernel objects were
     * released): where a restart policy or a metric learns of it. The listener must not block.
     */
    void onEnded(java.util.function.Consumer<ManagedModule> listener) {
        endListeners.add(listener);
    }

    private void ended(ManagedModule module) {
        for (java.util.function.Consumer<ManagedModule> listener : endListeners) {
            try {
                listener.accept(module);
            } catch (RuntimeException e) {
                Daemon.log("end listener failed for module " + module.id + ": " + e);
            }
        }
    }

    ModuleSources sources() {
        return sources;
    }

    /**
     * Resolves the source, starts the module compiled and adds it; nothing is started or kept when any step is
     * refused.
     */
    ManagedModule create(ModuleSpec spec) {
        return create(spec, null);
    }

    /** As {@link #create(ModuleSpec)}, for a module declared in {@code declaredIn} (null: through the API). */
    ManagedModule create(ModuleSpec spec, String declaredIn) {
        return create(spec, declaredIn, StartupTimeline.now());
    }

    /**
     * As {@link #create(ModuleSpec, String)}, the module's start timed from {@code startup}'s origin (the moment
     * the request was taken).
     */
    ManagedModule create(ModuleSpec spec, String declaredIn, StartupTimeline startup) {
        spec.check();
        String id = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextLong())
                .substring(0, 12);
        String name = spec.name() != null ? spec.name() : defaultName(spec.source(), id);
        synchronized (this) {
            if (reserved.contains(name) || modules.values().stream().anyMatch(m -> m.name.equals(name))) {
                throw ApiException.conflict("name", "name taken: " + name);
            }
            reserved.add(name);
        }
        try {
            ModuleSources.Resolved resolved = sources.resolve(spec.source());
            startup.mark(StartupTimeline.Step.RESOLVED);
            ManagedModule module = new ManagedModule(id, name, spec, resolved, declaredIn, this::ended);
            startRun(module, startup);
            synchronized (this) {
                modules.put(id, module);
            }
            Daemon.log("module " + id + " (" + name + ") started from " + resolved.kind() + " " + resolved.source());
            return module;
        } finally {
            synchronized (this) {
                reserved.remove(name);
            }
        }
    }

    /** Starts a run of {@code module} from its resolved bytes (a restart's, timed from now). */
    void startRun(ManagedModule module) {
        startRun(module, StartupTimeline.now());
    }

    /** Starts a run of {@code module} from its resolved bytes: its first, or a restart's. */
    void startRun(ManagedModule module, StartupTimeline startup) {
        ModuleSpec spec = module.spec;
        RunConfig.Builder config = RunConfig.builder()
                .args(spec.args())
                .stdout(module.log)
                .stderr(module.log)
                .events(module)
                // Compiled only: the interpreter cannot be interrupted in a loop without calls, and an abandoned
                // guest thread would burn CPU for the daemon's lifetime.
                .engine(Engine.COMPILER);
        spec.env().forEach(config::env);
        spec.timeoutDuration().ifPresent(config::timeout);
        spec.maxMemoryBytes().ifPresent(config::maxMemoryBytes);
        for (Path path : spec.allowAttachPaths()) {
            config.allowAttach(path);
        }
        // Before the start: the new run's first events may come before start() returns.
        module.starting(startup);
        RunningModule running;
        try {
            ModuleSources.Resolved source = module.source;
            // The digest the source computed from these bytes; an OCI layer's digest is the registry's claim
            // (checked by the puller, but the on-disk layer cache is another matter): hashed again here.
            CompiledModules.Lookup lookup = source.kind().equals("oci")
                    ? compiled.module(module.name, source.bytes())
                    : compiled.module(module.name, source.bytes(), source.digest());
            module.compiledFromCache(lookup.compiledFromCache());
            startup.mark(StartupTimeline.Step.COMPILED);
            running = WasmBpfRuntime.start(lookup.module(), config.build());
            startup.mark(StartupTimeline.Step.STARTED);
        } catch (ModuleLoadException e) {
            throw ApiException.badRequest("source", "cannot load " + spec.source() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("source", "cannot start " + spec.source() + ": " + e.getMessage());
        }
        module.started(running);
    }

    private static String defaultName(String source, String id) {
        String base = source == null
                ? "module"
                : source.replaceAll(".*[/:]", "").replaceAll("\\.wasm$", "").replaceAll("[^a-zA-Z0-9_.-]", "");
        return (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "module" : base) + "-"
                + id.substring(0, 6);
    }

    /** The module with this id or name (an id wins), or a 404 naming {@code id}. */
    synchronized ManagedModule find(String key) {
        ManagedModule byId = modules.get(key);
        if (byId != null) {
            return byId;
        }
        return modules.values().stream()
                .filter(m -> m.name.equals(key))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("id", "no module with id or name " + key));
    }

    synchronized List<ManagedModule> all() {
        return new ArrayList<>(modules.values());
    }

    /** Terminates, forcing after {@code grace}, and waits for the release; a module already ended is a 409. */
    ManagedModule stop(String key, Duration grace) throws InterruptedException {
        ManagedModule module = find(key);
        if (module.restarts.cancel() && module.ended()) {
            Daemon.log("module " + module.id + " (" + module.name + ") stopped: its restart cancelled");
            return module;
        }
        if (module.ended()) {
            throw ApiException.conflict("id", "module " + key + " is not running (state exited)");
        }
        module.requestStop(grace);
        module.running().await(grace.plus(CLEANUP_PATIENCE));
        Daemon.log("module " + module.id + " (" + module.name + ") stopped");
        return module;
    }

    /** Removes an ended module; a running one only with {@code force} (stopped first, as {@code docker rm -f}). */
    ManagedModule remove(String key, boolean force) throws InterruptedException {
        ManagedModule module = find(key);
        if (module.declaredIn != null) {
            throw ApiException.conflict(
                    "id",
                    "module " + key + " is declared in " + module.declaredIn
                            + ": remove that file to remove the module");
        }
        return remove(module, force);
    }

    /** Removes {@code module} (the declared-modules directory removes its own modules here); cancels its restarts. */
    ManagedModule remove(ManagedModule module, boolean force) throws InterruptedException {
        if (!force && !module.ended()) {
            throw ApiException.conflict(
                    "force",
                    "module " + module.name + " is " + module.state() + ": stop it first, or remove with force=true");
        }
        if (module.restarts.cancel()) {
            Daemon.log("module " + module.id + " (" + module.name + ") restart cancelled");
        }
        if (!module.ended()) {
            module.requestStop(RunningModule.STOP_GRACE);
            module.running().await(RunningModule.STOP_GRACE.plus(CLEANUP_PATIENCE));
        }
        synchronized (this) {
            modules.remove(module.id);
        }
        Daemon.log("module " + module.id + " (" + module.name + ") removed");
        return module;
    }

    /** Stops every module and waits until each released its kernel objects. */
    @Override
    public void close() {
        List<ManagedModule> all = all();
        for (ManagedModule module : all) {
            module.restarts.cancel();
        }
        for (ManagedModule module : all) {
            if (!module.ended()) {
                module.requestStop(RunningModule.STOP_GRACE);
            }
        }
        for (ManagedModule module : all) {
            module.running().close();
            Daemon.log("module " + module.id + " (" + module.name + ") stopped");
        }
    }
}
