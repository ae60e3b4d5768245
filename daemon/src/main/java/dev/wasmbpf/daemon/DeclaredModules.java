package dev.wasmbpf.daemon;

import dev.wasmbpf.oci.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The {@code --modules-dir} directory made true: one module per declaration file ({@link DeclaredModuleFile}),
 * started at boot and reconciled every {@link #POLL_SECONDS} second against what the files say now — a new file
 * starts a module, a removed one stops and removes it, a changed one replaces it (stopped, then started from the new
 * declaration under the same name). A broken file (unparseable, a bad field, a source that does not resolve) is
 * reported once per content — one line on stderr, its error in {@code GET /v1/declared}, {@link #errors()} counted —
 * and changes nothing: the module an earlier content of the file started keeps running. A file refused for what may
 * change without it — its source not resolving (a registry not reachable yet, a file not there yet) or its name
 * held by another module — is tried again with the restart backoff (1 s doubling to 30 s); one that does not parse
 * or check waits for its content to change.
 *
 * <p>Why polling and content digests, not a {@code WatchService}: a Kubernetes ConfigMap volume updates by swapping
 * the {@code ..data} symbolic link to a new hidden directory, which changes what {@code name.yaml -> ..data/name.yaml}
 * reads without any event on {@code name.yaml}; reading every declaration once a second (a few hundred bytes each)
 * and comparing digests sees that and every other way a file can change, and hidden entries are skipped.
 *
 * <p>A declared module is removed only by removing its file: {@code DELETE /v1/modules/ID} answers 409 naming the
 * file (see {@link ModuleTable#remove(String, boolean)}). {@code stop} works as for any module; it stays stopped
 * until its file changes.
 */
final class DeclaredModules implements AutoCloseable {
    static final int POLL_SECONDS = 1;

    /**
     * What the daemon did with one file.
     *
     * @param digest sha256 of the content last read
     * @param moduleId the module started from the file (from an earlier content if the current one is broken), or null
     * @param moduleName its name, or null
     * @param error why the current content was refused, or null
     * @param retryAt when to try the same content again, or null (applied, or refused for good)
     * @param attempts refusals of this content in a row
     */
    record FileState(String digest, String moduleId, String moduleName, String error, Instant retryAt, int attempts) {
        FileState withoutModule() {
            return new FileState(digest, null, null, error, retryAt, attempts);
        }
    }

    private final Path dir;
    private final ModuleTable table;
    /** By file name; read by API threads while the poller reconciles. */
    private final Map<String, FileState> files = new ConcurrentSkipListMap<>();

    private final AtomicLong errors = new AtomicLong();
    private volatile String dirError;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wasm-bpf-declared").daemon().factory());

    /** @param dir the directory, which must exist */
    DeclaredModules(Path dir, ModuleTable table) {
        this.dir = dir.toAbsolutePath().normalize();
        this.table = table;
        if (!Files.isDirectory(this.dir)) {
            throw new IllegalArgumentException("--modules-dir " + dir + " is not a directory");
        }
    }

    /** Starts the declared modules (on the poller thread, so the API serves meanwhile) and keeps reconciling. */
    void start() {
        poller.scheduleWithFixedDelay(this::reconcileQuietly, 0, POLL_SECONDS, TimeUnit.SECONDS);
    }

    /** {@code GET /v1/declared} of a daemon without {@code --modules-dir}. */
    static Map<String, Object> none() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dir", null);
        body.put("dirError", null);
        body.put("files", List.of());
        body.put("brokenFiles", 0);
        body.put("errors", 0);
        return body;
    }

    /** Files whose current content is refused (a gauge). */
    int brokenFiles() {
        return (int) files.values().stream().filter(f -> f.error() != null).count();
    }

    /** Refused contents so far, each counted once (a counter). */
    long errors() {
        return errors.get();
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            // The poller must keep running: a bug here is one log line, and the next second tries again.
            Daemon.log("declared modules: reconcile failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass: reads every declaration and makes the modules match. */
    void reconcile() throws InterruptedException {
        Map<String, byte[]> now = read();
        if (now == null) {
            return;
        }
        for (String file : new ArrayList<>(files.keySet())) {
            if (!now.containsKey(file)) {
                FileState gone = files.remove(file);
                removeModule(gone);
                Daemon.log("declared module file " + file + " removed"
                        + (gone.moduleName() == null
                                ? ""
                                : ": module " + gone.moduleId() + " (" + gone.moduleName() + ") removed"));
            }
        }
        for (Map.Entry<String, byte[]> entry : now.entrySet()) {
            String file = entry.getKey();
            String digest = Digests.sha256(entry.getValue());
            FileState known = files.get(file);
            if (known != null
                    && known.digest().equals(digest)
                    && (known.retryAt() == null || Instant.now().isBefore(known.retryAt()))) {
                continue;
            }
            apply(file, digest, entry.getValue(), known);
        }
    }

    /** The declarations by file name, or null (reported) when the directory cannot be listed: then nothing changes. */
    private Map<String, byte[]> read() {
        Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path path : (Iterable<Path>) entries::iterator) {
                String name = path.getFileName().toString();
                // isRegularFile follows the symbolic links a ConfigMap volume is made of.
                if (!DeclaredModuleFile.isDeclaration(name) || !Files.isRegularFile(path)) {
                    continue;
                }
                try {
                    contents.put(name, Files.readAllBytes(path));
                } catch (NoSuchFileException e) {
                    // Removed while listed: it is gone.
                }
            }
        } catch (IOException e) {
            String error = "cannot list " + dir + ": " + e;
            if (!error.equals(dirError)) {
                Daemon.log("declared modules: " + error + " (modules left as they are)");
                errors.incrementAndGet();
            }
            dirError = error;
            return null;
        }
        dirError = null;
        return contents;
    }

    private void apply(String file, String digest, byte[] content, FileState known) throws InterruptedException {
        Path path = dir.resolve(file);
        ModuleSpec spec;
        try {
            spec = DeclaredModuleFile.parse(file, content);
        } catch (ApiException e) {
            refuse(file, digest, known, e, false);
            return;
        }
        try {
            // Resolved before the running module is touched: a source that does not resolve changes nothing.
            table.sources().resolve(spec.source());
            if (!Objects.equals(spec.name(), known == null ? null : known.moduleName())) {
                // A new name must be free now (the old module keeps its own name until replaced).
                table.all().stream()
                        .filter(m -> m.name.equals(spec.name()))
                        .findFirst()
                        .ifPresent(m -> {
                            throw ApiException.conflict("name", "name taken: " + spec.name());
                        });
            }
        } catch (ApiException e) {
            refuse(file, digest, known, e, true);
            return;
        }
        if (known != null && known.moduleId() != null) {
            removeModule(known);
            Daemon.log("declared module file " + file + " changed: module " + known.moduleId() + " ("
                    + known.moduleName() + ") removed");
        }
        try {
            ManagedModule module = table.create(spec, path.toString());
            files.put(file, new FileState(digest, module.id, module.name, null, null, 0));
            Daemon.log("declared module file " + file + ": module " + module.id + " (" + module.name + ") started");
        } catch (ApiException e) {
            refuse(file, digest, known == null ? null : known.withoutModule(), e, true);
        }
    }

    /**
     * Records a refused content. Counted and logged once per content (a retry that fails the same way is silent),
     * and retried with backoff when {@code retry}.
     */
    private void refuse(String file, String digest, FileState known, ApiException e, boolean retry) {
        String error = (e.field().isEmpty() ? "" : e.field() + ": ") + e.getMessage();
        boolean again = known != null && known.digest().equals(digest);
        int attempts = again ? known.attempts() + 1 : 1;
        Instant retryAt = retry
                ? Instant.now().plus(Restarter.backoff(attempts - 1, Restarter.FIRST_DELAY, Restarter.MAX_DELAY))
                : null;
        files.put(
                file,
                new FileState(
                        digest,
                        known == null ? null : known.moduleId(),
                        known == null ? null : known.moduleName(),
                        error,
                        retryAt,
                        attempts));
        if (!again) {
            errors.incrementAndGet();
        }
        if (!again || !error.equals(known.error())) {
            Daemon.log("declared module file " + dir.resolve(file) + " refused: " + error
                    + (known != null && known.moduleId() != null
                            ? " (module " + known.moduleName() + " left as it was)"
                            : "")
                    + (retry ? " (tried again until it starts or the file changes)" : ""));
        }
    }

    private void removeModule(FileState state) throws InterruptedException {
        if (state == null || state.moduleId() == null) {
            return;
        }
        ManagedModule module;
        try {
            module = table.find(state.moduleId());
        } catch (ApiException e) {
            return;
        }
        table.remove(module, true);
    }

    /** {@code GET /v1/declared}: the directory, each file with its module or its error. */
    Map<String, Object> describe() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dir", dir.toString());
        body.put("dirError", dirError);
        List<Map<String, Object>> list = new ArrayList<>();
        files.forEach((file, state) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("file", dir.resolve(file).toString());
            item.put("digest", state.digest());
            item.put("module", state.moduleId());
            item.put("name", state.moduleName());
            String moduleState = null;
            if (state.moduleId() != null) {
                try {
                    moduleState = table.find(state.moduleId()).state();
                } catch (ApiException e) {
                    moduleState = null;
                }
            }
            item.put("state", moduleState);
            item.put("error", state.error());
            item.put("retryAt", state.retryAt() == null ? null : state.retryAt().toString());
            list.add(item);
        });
        body.put("files", list);
        body.put("brokenFiles", brokenFiles());
        body.put("errors", errors());
        return body;
    }

    /** Stops reconciling, waiting for a pass under way (so that it adds no module after the daemon stopped them). */
    @Override
    public void close() throws InterruptedException {
        poller.shutdown();
        if (!poller.awaitTermination(60, TimeUnit.SECONDS)) {
            poller.shutdownNow();
        }
    }
}
