package dev.wasmbpf.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a module: its arguments, environment, preopened directories, standard streams, extra host
 * functions and attach permissions. Immutable; build it with {@link #builder()}.
 */
public final class RunConfig {
    public static final String DEFAULT_WRAPPER_MODULE = "callback-wrapper";
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
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Guest arguments after argv[0] (argv[0] is the module's name as given). */
    public List<String> args() {
        return args;
    }

    public Map<String, String> env() {
        return env;
    }

    public List<Preopen> preopens() {
        return preopens;
    }

    public InputStream stdin() {
        return stdin;
    }

    public OutputStream stdout() {
        return stdout;
    }

    public OutputStream stderr() {
        return stderr;
    }

    public List<HostFunctionSpec> hostFunctions() {
        return hostFunctions;
    }

    public List<Path> allowAttach() {
        return allowAttach;
    }

    public String wrapperModuleName() {
        return wrapperModuleName;
    }

    public String callbackExportName() {
        return callbackExportName;
    }

    public Engine engine() {
        return engine;
    }

    /** Where compiled modules are kept between runs; null when every run compiles afresh. */
    public CompiledModuleCache compileCache() {
        return compileCache;
    }

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

        private Builder() {}

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder args(String... values) {
            return args(List.of(values));
        }

        public Builder env(String key, String value) {
            env.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder preopen(Path hostPath, String guestPath) {
            preopens.add(new Preopen(hostPath, guestPath));
            return this;
        }

        public Builder preopen(Preopen preopen) {
            preopens.add(Objects.requireNonNull(preopen));
            return this;
        }

        public Builder stdin(InputStream in) {
            this.stdin = Objects.requireNonNull(in);
            return this;
        }

        public Builder stdout(OutputStream out) {
            this.stdout = Objects.requireNonNull(out);
            return this;
        }

        public Builder stderr(OutputStream err) {
            this.stderr = Objects.requireNonNull(err);
            return this;
        }

        public Builder hostFunction(HostFunctionSpec function) {
            hostFunctions.add(Objects.requireNonNull(function));
            return this;
        }

        /** Grants attach targets (cgroup directories, uprobe binaries) under this path. */
        public Builder allowAttach(Path path) {
            allowAttach.add(Objects.requireNonNull(path));
            return this;
        }

        public Builder wrapperModuleName(String name) {
            this.wrapperModuleName = Objects.requireNonNull(name);
            return this;
        }

        public Builder callbackExportName(String name) {
            this.callbackExportName = Objects.requireNonNull(name);
            return this;
        }

        public Builder engine(Engine value) {
            this.engine = Objects.requireNonNull(value);
            return this;
        }

        /** Keeps compiled modules under {@code root} (e.g. {@link CompiledModuleCache#defaultRoot()}). */
        public Builder compileCache(Path root) {
            this.compileCache = new CompiledModuleCache(Objects.requireNonNull(root));
            return this;
        }

        public RunConfig build() {
            return new RunConfig(this);
        }
    }
}
