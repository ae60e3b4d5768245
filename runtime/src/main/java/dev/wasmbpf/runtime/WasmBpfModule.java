package dev.wasmbpf.runtime;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * A parsed and validated wasm-bpf module. Parse once, run many times: the compiled form (Wasm to JVM
 * bytecode) is produced on first use and shared by later runs.
 */
public final class WasmBpfModule {
    private static final byte[] WASM_MAGIC = {0x00, 0x61, 0x73, 0x6d};

    private final String name;
    private final WasmModule module;
    private volatile Function<Instance, Machine> compiled;

    private WasmBpfModule(String name, WasmModule module) {
        this.name = name;
        this.module = module;
    }

    /** Reads a module file; {@code name} (argv[0] of the guest) is the path as given. */
    public static WasmBpfModule fromPath(Path path) throws ModuleLoadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModuleLoadException("module file not found: " + path);
        } catch (IOException e) {
            throw new ModuleLoadException("cannot read module file " + path + ": " + e.getMessage(), e);
        }
        return fromBytes(path.toString(), bytes);
    }

    public static WasmBpfModule fromBytes(String name, byte[] bytes) throws ModuleLoadException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 4, WASM_MAGIC, 0, 4)) {
            throw new ModuleLoadException(name + " is not a WebAssembly module (no \\0asm header)");
        }
        String structural = Prescan.problem(bytes);
        if (structural != null) {
            throw new ModuleLoadException("invalid WebAssembly module " + name + ": " + structural);
        }
        try {
            return new WasmBpfModule(name, Parser.parse(bytes));
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            // AssertionError: Chicory's parser asserts on some malformed input when run with -ea.
            throw new ModuleLoadException("invalid WebAssembly module " + name + ": " + describe(e), e);
        } catch (OutOfMemoryError e) {
            // The prescan bounds every count and length we know of; this is the backstop for the rest.
            throw new ModuleLoadException("invalid WebAssembly module " + name + ": a declared size is too large ("
                    + describe(e) + ")", e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public String name() {
        return name;
    }

    private Function<Instance, Machine> compile(CompiledModuleCache cache) {
        MachineFactoryCompiler.Builder compiler =
                MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.SILENT);
        if (cache != null) {
            compiler.withCache(cache);
        }
        return compiler.compile();
    }

    WasmModule wasm() {
        return module;
    }

    /**
     * The machine factory for an engine; compiles on first use of the compiler, or loads the compiled form
     * from {@code cache} (nullable) when an earlier run stored it there.
     */
    Function<Instance, Machine> machineFactory(Engine engine, CompiledModuleCache cache) throws ModuleLoadException {
        if (engine == Engine.INTERPRETER) {
            return null;
        }
        Function<Instance, Machine> factory = compiled;
        if (factory == null) {
            synchronized (this) {
                factory = compiled;
                if (factory == null) {
                    try {
                        factory = compile(cache);
                    } catch (RuntimeException e) {
                        if (cache == null) {
                            throw new ModuleLoadException("cannot compile " + name + ": " + describe(e), e);
                        }
                        // A damaged or foreign cache entry must not stop the module: drop it, compile afresh.
                        cache.evict(module.digest());
                        try {
                            factory = compile(cache);
                        } catch (RuntimeException again) {
                            throw new ModuleLoadException("cannot compile " + name + ": " + describe(again), again);
                        }
                    }
                    compiled = factory;
                }
            }
        }
        return factory;
    }

    /**
     * Checks the sizes a module declares against the bytes it has, before Chicory's parser sees them: the
     * parser allocates arrays of the declared length first (a custom section claiming a 2 GiB name took the
     * JVM down with "Requested array size exceeds VM limit"). Sections must fit in the file, vectors can't
     * have more entries than their section has bytes, names must fit in their section, and a function may
     * declare at most {@value #MAX_LOCALS} locals (the limit browsers and wasmtime use).
     */
    static final class Prescan {
        static final long MAX_LOCALS = 50_000;
        private static final int CUSTOM = 0;
        private static final int IMPORT = 2;
        private static final int EXPORT = 7;
        private static final int START = 8;
        private static final int CODE = 10;
        private static final int DATA_COUNT = 12;

        private final byte[] bytes;
        private int at;

        private Prescan(byte[] bytes) {
            this.bytes = bytes;
            this.at = 8;
        }

        /** Null when the module's declared sizes are plausible, else what is wrong. */
        static String problem(byte[] bytes) {
            try {
                return new Prescan(bytes).sections();
            } catch (IndexOutOfBoundsException | IllegalStateException e) {
                return "truncated or malformed at byte " + e.getMessage();
            }
        }

        private String sections() {
            while (at < bytes.length) {
                int id = bytes[at++] & 0xFF;
                long size = leb();
                int start = at;
                if (size > bytes.length - start) {
                    return "section " + id + " at byte " + (start - 1) + " declares " + size + " bytes, but only "
                            + (bytes.length - start) + " remain";
                }
                int end = (int) (start + size);
                String problem = section(id, end);
                if (problem != null) {
                    return problem;
                }
                at = end;
            }
            return null;
        }

        private String section(int id, int end) {
            if (id == CUSTOM) {
                long nameLength = leb();
                return nameLength > end - at ? "custom section name of " + nameLength + " bytes overruns its section" : null;
            }
            if (id == START || id == DATA_COUNT || id > DATA_COUNT + 1) {
                return null;
            }
            long count = leb();
            if (count > end - at) {
                return "section " + id + " declares " + count + " entries in " + (end - at) + " bytes";
            }
            if (id == CODE) {
                return code(count, end);
            }
            if (id == IMPORT || id == EXPORT) {
                return names(id, count, end);
            }
            return null;
        }

        private String code(long count, int end) {
            for (long i = 0; i < count; i++) {
                long bodySize = leb();
                int bodyStart = at;
                if (bodySize > end - bodyStart) {
                    return "function body " + i + " declares " + bodySize + " bytes beyond its section";
                }
                long groups = leb();
                if (groups > bodySize) {
                    return "function body " + i + " declares " + groups + " local groups in " + bodySize + " bytes";
                }
                long locals = 0;
                for (long g = 0; g < groups; g++) {
                    locals += leb();
                    valueType();
                    if (locals > MAX_LOCALS) {
                        return "function body " + i + " declares more than " + MAX_LOCALS + " locals";
                    }
                }
                at = (int) (bodyStart + bodySize);
            }
            return null;
        }

        private String names(int id, long count, int end) {
            for (long i = 0; i < count; i++) {
                int fields = id == IMPORT ? 2 : 1;
                for (int f = 0; f < fields; f++) {
                    long length = leb();
                    if (length > end - at) {
                        return "name of " + length + " bytes in section " + id + " overruns it";
                    }
                    at += (int) length;
                }
                int kind = bytes[at++] & 0xFF;
                if (id == EXPORT) {
                    leb();
                    continue;
                }
                switch (kind) {
                    case 0 -> leb();
                    case 1 -> {
                        at++;
                        limits();
                    }
                    case 2 -> limits();
                    case 3 -> at += 2;
                    case 4 -> {
                        at++;
                        leb();
                    }
                    default -> {
                        return "import " + i + " has unknown kind " + kind;
                    }
                }
            }
            return null;
        }

        /** One value type: a byte, or (typed function references) 0x63/0x64 followed by a heap type. */
        private void valueType() {
            int type = bytes[at++] & 0xFF;
            if (type == 0x63 || type == 0x64) {
                leb();
            }
        }

        private void limits() {
            int flags = bytes[at++] & 0xFF;
            leb();
            if ((flags & 1) != 0) {
                leb();
            }
        }

        /** An unsigned LEB128 of up to 64 bits; throws on running out of bytes. */
        private long leb() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= bytes.length) {
                    throw new IllegalStateException(Integer.toString(at));
                }
                int b = bytes[at++] & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException(Integer.toString(at));
        }
    }
}
