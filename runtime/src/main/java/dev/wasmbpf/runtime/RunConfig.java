package dev.wasmbpf.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to run a module: its arguments, environment, preopened directories, standard streams, extra host
 * functions, attach permissions, limits, and who hears its {@link RunEvent}s. Immutable; build it with
 * {@link #builder()}.
 */
public final class RunConfig {
    /** The default import module of the callback-style poll TinyGo guests use. */
    public static final String DEFAULT_WRAPPER_MODULE = "callback-wrapper";
    /** The default guest export that callback-style poll calls per sample. */
    public static final String DEFAULT_CALLBACK_EXPORT = "go-callback";

    private final List<String> args;
    private final Map<String, String> env;
    private final List<Preopen> preopens;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final List<HostFunctionSpec> hostFunctions;
    private final List<Path> allowAttach;
    private final String wrapperModuleName;
    private final String callbackExportName;
    private final Engine engine;
    private final CompiledModuleCache compileCache;
    private final Duration timeout;
    private final long maxMemoryBytes;
    private final RunEventListener events;

    private RunConfig(Builder builder) {
        this.args = List.copyOf(builder.args);
        this.env = Map.copyOf(builder.env);
        this.preopens = List.copyOf(builder.preopens);
        this.stdin = builder.stdin;
        this.stdout = builder.stdout;
        this.stderr = builder.stderr;
        this.hostFunctions = List.copyOf(builder.hostFunctions);
        this.allowAttach = List.copyOf(builder.allowAttach);
        this.wrapperModuleName = builder.wrapperModuleName;
        this.callbackExportName = builder.callbackExportName;
        this.engine = builder.engine;
        this.compileCache = builder.compileCache;
        this.timeout = builder.timeout;
        this.maxMemoryBytes = builder.maxMemoryBytes;
        this.events = builder.events != null ? builder.events : RunEventListener.diagnostics(builder.stderr);
    }

    /**
     * A builder with the defaults: no arguments, the JVM's standard streams, the compiler engine, the compile
     * cache, diagnostics printed on stderr.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Guest arguments after argv[0] (argv[0] is the module's name).
     *
     * @return the arguments
     */
    public List<String> args() {
        return args;
    }

    /**
     * The guest's environment variables.
     *
     * @return name to value
     */
    public Map<String, String> env() {
        return env;
    }

    /**
     * The host directories the guest may open.
     *
     * @return the preopens
     */
    public List<Preopen> preopens() {
        return preopens;
    }

    /**
     * The guest's standard input.
     *
     * @return the stream
     */
    public InputStream stdin() {
        return stdin;
    }

    /**
     * The guest's standard output.
     *
     * @return the stream
     */
    public OutputStream stdout() {
        return stdout;
    }

    /**
     * The guest's standard error, also where the default listener prints.
     *
     * @return the stream
     */
    public OutputStream stderr() {
        return stderr;
    }

    /**
     * The embedder's extra host functions.
     *
     * @return the functions
     */
    public List<HostFunctionSpec> hostFunctions() {
        return hostFunctions;
    }

    /**
     * Paths under which attach targets (cgroups, uprobe binaries) are granted.
     *
     * @return the paths
     */
    public List<Path> allowAttach() {
        return allowAttach;
    }

    /**
     * Import module of the callback-style poll.
     *
     * @return the module name
     */
    public String wrapperModuleName() {
        return wrapperModuleName;
    }

    /**
     * The guest export the callback-style poll calls.
     *
     * @return the export name
     */
    public String callbackExportName() {
        return callbackExportName;
    }

    /**
     * How guest code runs.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Where compiled modules are kept between runs; null when every run compiles afresh. By default the cache
     * under {@link CompiledModuleCache#defaultRoot()} when that directory exists and is writable or can be
     * created; see {@link Builder#noCompileCache()}.
     *
     * @return the cache, or null
     */
    public CompiledModuleCache compileCache() {
        return compileCache;
    }

    /**
     * How long the module may run before it is terminated and reported as timed out.
     *
     * @return the limit; empty: no limit
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * The most linear memory the module may have.
     *
     * @return bytes, a multiple of 64 KiB; empty: Wasm's own 4 GiB
     */
    public OptionalLong maxMemoryBytes() {
        return maxMemoryBytes == 0 ? OptionalLong.empty() : OptionalLong.of(maxMemoryBytes);
    }

    /**
     * Who receives the run's events: what {@link Builder#events} set, else
     * {@link RunEventListener#diagnostics} on {@link #stderr()}.
     *
     * @return the listener
     */
    public RunEventListener events() {
        return events;
    }

    /** {@link #maxMemoryBytes()} in 64 KiB Wasm pages. */
    OptionalLong maxMemoryPages() {
        return maxMemoryBytes == 0 ? OptionalLong.empty() : OptionalLong.of(maxMemoryBytes / WASM_PAGE_BYTES);
    }

    static final long WASM_PAGE_BYTES = 65_536;

    /** Collects a {@link RunConfig}; not thread-safe. */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<Preopen> preopens = new ArrayList<>();
        private InputStream stdin = System.in;
        private OutputStream stdout = System.out;
        private OutputStream stderr = System.err;
        private final List<HostFunctionSpec> hostFunctions = new ArrayList<>();
        private final List<Path> allowAttach = new ArrayList<>();
        private String wrapperModuleName = DEFAULT_WRAPPER_MODULE;
        private String callbackExportName = DEFAULT_CALLBACK_EXPORT;
        private Engine engine = Engine.COMPILER;
        private CompiledModuleCache compileCache;
        private boolean compileCacheChosen;
        private Duration timeout;
        private long maxMemoryBytes;
        private RunEventListener events;

        private Builder() {}

        /**
         * Appends guest arguments.
         *
         * @param values arguments after argv[0]
         * @return this builder
         */
        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        /**
         * Appends guest arguments.
         *
         * @param values arguments after argv[0]
         * @return this builder
         */
        public Builder args(String... values) {
            return args(List.of(values));
        }

        /**
         * Sets a guest environment variable.
         *
         * @param key its name
         * @param value its value
         * @return this builder
         */
        public Builder env(String key, String value) {
            env.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Lets the guest open a host directory; it must exist when {@link #build()} is called.
         *
         * @param hostPath the directory on the host
         * @param guestPath where the guest sees it
         * @return this builder
         */
        public Builder preopen(Path hostPath, String guestPath) {
            preopens.add(new Preopen(hostPath, guestPath));
            return this;
        }

        /**
         * Lets the guest open a host directory; it must exist when {@link #build()} is called.
         *
         * @param preopen the directory and its guest path
         * @return this builder
         */
        public Builder preopen(Preopen preopen) {
            preopens.add(Objects.requireNonNull(preopen));
            return this;
        }

        /**
         * Sets the guest's standard input (default {@code System.in}).
         *
         * @param in the stream
         * @return this builder
         */
        public Builder stdin(InputStream in) {
            this.stdin = Objects.requireNonNull(in);
            return this;
        }

        /**
         * Sets the guest's standard output (default {@code System.out}).
         *
         * @param out the stream
         * @return this builder
         */
        public Builder stdout(OutputStream out) {
            this.stdout = Objects.requireNonNull(out);
            return this;
        }

        /**
         * Sets the guest's standard error (default {@code System.err}), also where the default listener prints.
         *
         * @param err the stream
         * @return this builder
         */
        public Builder stderr(OutputStream err) {
            this.stderr = Objects.requireNonNull(err);
            return this;
        }

        /**
         * Offers an extra host function to the guest.
         *
         * @param function the function
         * @return this builder
         */
        public Builder hostFunction(HostFunctionSpec function) {
            hostFunctions.add(Objects.requireNonNull(function));
            return this;
        }

        /**
         * Grants attach targets (cgroup directories, uprobe binaries) under this path.
         *
         * @param path a directory or file
         * @return this builder
         */
        public Builder allowAttach(Path path) {
            allowAttach.add(Objects.requireNonNull(path));
            return this;
        }

        /**
         * Sets the import module of the callback-style poll.
         *
         * @param name the module name
         * @return this builder
         */
        public Builder wrapperModuleName(String name) {
            this.wrapperModuleName = Objects.requireNonNull(name);
            return this;
        }

        /**
         * Sets the guest export the callback-style poll calls.
         *
         * @param name the export name
         * @return this builder
         */
        public Builder callbackExportName(String name) {
            this.callbackExportName = Objects.requireNonNull(name);
            return this;
        }

        /**
         * Sets how guest code runs (default {@link Engine#COMPILER}).
         *
         * @param value the engine
         * @return this builder
         */
        public Builder engine(Engine value) {
            this.engine = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Keeps compiled modules under {@code root} instead of the default {@link CompiledModuleCache#defaultRoot()}.
         *
         * @param root the cache's root directory (created when needed)
         * @return this builder
         */
        public Builder compileCache(Path root) {
            return compileCache(new CompiledModuleCache(Objects.requireNonNull(root)));
        }

        /**
         * Keeps compiled modules in {@code cache}: the one a module was read with
         * ({@link WasmBpfModule#fromBytes(String, byte[], CompiledModuleCache)}), say.
         *
         * @param cache the cache
         * @return this builder
         */
        public Builder compileCache(CompiledModuleCache cache) {
            this.compileCache = Objects.requireNonNull(cache, "cache");
            this.compileCacheChosen = true;
            return this;
        }

        /**
         * Compiles the module afresh in every JVM instead of reusing the bytecode a run stored in the compile
         * cache (which is used by default where its directory is writable): start-up then costs the compilation,
         * about half a second for the bundled examples.
         *
         * @return this builder
         */
        public Builder noCompileCache() {
            this.compileCache = null;
            this.compileCacheChosen = true;
            return this;
        }

        /**
         * Sends the run's {@link RunEvent}s to {@code listener} instead of the default, which prints the host's
         * diagnostics on {@link #stderr}. To keep those lines too, pass
         * {@code RunEventListener.diagnostics(System.err).andThen(listener)}.
         *
         * @param listener receives every event of the run
         * @return this builder
         */
        public Builder events(RunEventListener listener) {
            this.events = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Terminates the module after {@code value}; it ends as {@link RunResult.TimedOut}.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + value);
            }
            this.timeout = value;
            return this;
        }

        /**
         * Caps the module's linear memory: {@code memory.grow} past it fails (the guest sees -1, as when memory
         * runs out) and the refusal is reported as a {@link RunEvent.MemoryGrowRefused}. Rounded down to whole
         * 64 KiB pages; at least one page.
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxMemoryBytes(long bytes) {
            if (bytes < WASM_PAGE_BYTES) {
                throw new IllegalArgumentException(
                        "memory limit must be at least 64 KiB (one Wasm page), got " + bytes);
            }
            this.maxMemoryBytes = Math.min(bytes, 65_536L * WASM_PAGE_BYTES) / WASM_PAGE_BYTES * WASM_PAGE_BYTES;
            return this;
        }

        /**
         * The configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException when a preopened host directory does not exist or is not a directory
         */
        public RunConfig build() {
            for (Preopen preopen : preopens) {
                if (!Files.isDirectory(preopen.hostPath())) {
                    throw new IllegalArgumentException(
                            "cannot preopen " + preopen.hostPath() + " as " + preopen.guestPath() + ": "
                                    + (Files.exists(preopen.hostPath()) ? "not a directory" : "no such directory"));
                }
            }
            if (!compileCacheChosen) {
                compileCache = defaultCompileCache();
            }
            return new RunConfig(this);
        }

        /**
         * The cache under the default root when it can be written (it or its nearest existing parent is
         * writable): a read-only home, as in some containers, runs without one rather than failing each store.
         */
        private static CompiledModuleCache defaultCompileCache() {
            Path root = CompiledModuleCache.defaultRoot().toAbsolutePath();
            for (Path existing = root; existing != null; existing = existing.getParent()) {
                if (Files.exists(existing)) {
                    return Files.isDirectory(existing) && Files.isWritable(existing)
                            ? new CompiledModuleCache(root)
                            : null;
                }
            }
            return null;
        }
    }
}
