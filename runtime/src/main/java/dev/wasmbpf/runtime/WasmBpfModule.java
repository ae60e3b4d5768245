package dev.wasmbpf.runtime;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wasmbpf.bpf.BpfObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;

/**
 * A parsed and validated wasm-bpf module. Parse once, run many times: the compiled form (Wasm to JVM
 * bytecode) is produced on first use and shared by later runs of this object and of every copy {@link #named}
 * made of it. A long-running embedder (the daemon) keeps one per module digest so a module started again skips
 * parsing, compiling and class loading, and its runs share the JIT's work on those classes.
 */
public final class WasmBpfModule {
    private static final byte[] WASM_MAGIC = {0x00, 0x61, 0x73, 0x6d};

    /** Chicory's parser with its validation off, for modules whose compiled form the cache already holds. */
    private static final Parser UNVALIDATED =
            Parser.builder().withValidation(false).build();

    private final String name;
    private final WasmModule module;
    /** Shared by this module and its {@link #named} copies: one compilation for all of them. */
    private final CompiledForm compiled;
    /**
     * The module's bytes when Chicory did not validate them (the cache knew them), kept to validate them after all
     * should the cache entry turn out unusable; null when validated.
     */
    private final byte[] unvalidatedBytes;

    /** The compiled form, set once; the object is the lock its compilation runs under. */
    private static final class CompiledForm {
        volatile Function<Instance, Machine> factory;
    }

    private WasmBpfModule(String name, WasmModule module, CompiledForm compiled, byte[] unvalidatedBytes) {
        this.name = name;
        this.module = module;
        this.compiled = compiled;
        this.unvalidatedBytes = unvalidatedBytes;
    }

    /**
     * The same module under another name, sharing this one's parsed form and its compiled classes (compiled once,
     * by whichever of the two runs first with the compiler). For an embedder that starts the same bytes under
     * several names: e.g. the daemon, which keeps one module per digest and names each run after its own module.
     *
     * @param name the copy's name: argv[0] of the guest, its thread's name and the prefix of the host's messages
     * @return a module that runs like this one under {@code name}
     */
    public WasmBpfModule named(String name) {
        Objects.requireNonNull(name, "name");
        return name.equals(this.name) ? this : new WasmBpfModule(name, module, compiled, unvalidatedBytes);
    }

    /**
     * Whether the compiled form exists already, so a run with {@link Engine#COMPILER} starts without compiling or
     * loading classes.
     *
     * @return true once a run of this module or of a {@link #named} copy compiled it
     */
    public boolean isCompiled() {
        return compiled.factory != null;
    }

    /**
     * Reads a module file. Its {@link #name()} is the file's name ({@code bootstrap.wasm}): argv[0] of the guest,
     * its thread's name and the prefix of the host's messages about it.
     *
     * @param path the {@code .wasm} file
     * @return the parsed module
     * @throws ModuleLoadException when the file can't be read or is not a valid module
     */
    public static WasmBpfModule fromPath(Path path) throws ModuleLoadException {
        return fromPath(path, null);
    }

    /**
     * Reads a module file as {@link #fromPath(Path)} does, skipping Chicory's validation of the module when
     * {@code knownModules} already holds its compiled form (see {@link #fromBytes(String, byte[], CompiledModuleCache)}).
     *
     * @param path the {@code .wasm} file
     * @param knownModules the compile cache the module will run with, or null
     * @return the parsed module
     * @throws ModuleLoadException when the file can't be read or is not a valid module
     */
    public static WasmBpfModule fromPath(Path path, CompiledModuleCache knownModules) throws ModuleLoadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModuleLoadException("module file not found: " + path);
        } catch (IOException e) {
            throw new ModuleLoadException("cannot read module file " + path + ": " + e.getMessage(), e);
        }
        Path fileName = path.getFileName();
        return fromBytes(fileName == null ? path.toString() : fileName.toString(), bytes, knownModules);
    }

    /**
     * Parses a module from its bytes, e.g. a classpath resource such as the bundled examples'
     * {@code /dev/wasmbpf/examples/bootstrap.wasm}.
     *
     * @param name the module's name: argv[0] of the guest, its thread's name and the prefix of the host's messages
     * @param bytes the {@code .wasm} bytes
     * @return the parsed module
     * @throws ModuleLoadException when the bytes are not a valid module
     */
    public static WasmBpfModule fromBytes(String name, byte[] bytes) throws ModuleLoadException {
        return fromBytes(name, bytes, null);
    }

    /**
     * Parses a module as {@link #fromBytes(String, byte[])} does, but skips Chicory's validation (type-checking every
     * function body, ~10-20 % of a cold parse) when {@code knownModules} already holds the compiled form of these very
     * bytes (same SHA-256 digest): an entry is only stored after a validated parse of them compiled, so they passed
     * this validation before, with this Chicory version (entries live in a directory per version). Should that entry
     * prove unusable when the module runs, the bytes are validated then, before they are compiled afresh.
     *
     * @param name the module's name: argv[0] of the guest, its thread's name and the prefix of the host's messages
     * @param bytes the {@code .wasm} bytes
     * @param knownModules the compile cache the module will run with, or null (then the module is always validated)
     * @return the parsed module
     * @throws ModuleLoadException when the bytes are not a valid module
     */
    public static WasmBpfModule fromBytes(String name, byte[] bytes, CompiledModuleCache knownModules)
            throws ModuleLoadException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 4, WASM_MAGIC, 0, 4)) {
            throw new ModuleLoadException(name + " is not a WebAssembly module (no \\0asm header)");
        }
        String structural = ModulePrescan.problem(bytes);
        if (structural != null) {
            throw new ModuleLoadException("invalid WebAssembly module " + name + ": " + structural);
        }
        // The BPF objects the guest will load are in these bytes already: our reader checks them on another thread
        // while Chicory parses (and later instantiates) the module, so the guest's first load finds the answer ready.
        for (byte[] object : EmbeddedBpfObjects.find(bytes)) {
            BpfObject.precheckAhead(object);
        }
        try {
            // Asked before parsing, so a module the cache does not know is parsed once (validated), not twice.
            String digest = knownModules == null ? null : chicoryDigest(bytes);
            if (digest != null && knownModules.holds(digest)) {
                WasmModule unvalidated = UNVALIDATED.parse(() -> new ByteArrayInputStream(bytes));
                if (digest.equals(unvalidated.digest())) {
                    // A copy: the caller's array may change, and these are the bytes the digest vouched for.
                    return new WasmBpfModule(name, unvalidated, new CompiledForm(), bytes.clone());
                }
            }
            return new WasmBpfModule(name, Parser.parse(bytes), new CompiledForm(), null);
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            // AssertionError: Chicory's parser asserts on some malformed input when run with -ea.
            throw new ModuleLoadException("invalid WebAssembly module " + name + ": " + describe(e), e);
        } catch (OutOfMemoryError e) {
            // The prescan bounds every count and length we know of; this is the backstop for the rest.
            throw new ModuleLoadException(
                    "invalid WebAssembly module " + name + ": a declared size is too large (" + describe(e) + ")", e);
        }
    }

    /**
     * The digest Chicory's parser gives these bytes ({@code WasmModule.digest()}, the compile cache's key), computed
     * without parsing: {@code sha-256:} and the Base64 of their SHA-256, Chicory 1.7's format for its default
     * algorithm. Should Chicory compute it otherwise (another version, or its {@code DIGEST_ALGORITHM} property), the
     * cache never appears to hold the module and every parse validates, as without a cache; the unvalidated parse
     * also checks that its digest is this one. {@code KnownModuleParseTest} fails if the formats part.
     */
    static String chicoryDigest(byte[] bytes) {
        try {
            return "sha-256:"
                    + Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            return null; // every JDK has SHA-256; without it, no module counts as known
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The module's name.
     *
     * @return what {@link #fromPath} or {@link #fromBytes} named it
     */
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

    /** Whether Chicory validated this module when it was parsed (false: the compile cache vouched for it). */
    boolean validated() {
        return unvalidatedBytes == null;
    }

    /** The validation {@link #fromBytes} skipped because the cache knew the module, done now that the entry failed. */
    private void validateSkipped() throws ModuleLoadException {
        if (unvalidatedBytes == null) {
            return;
        }
        try {
            Parser.parse(unvalidatedBytes);
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            throw new ModuleLoadException("invalid WebAssembly module " + name + ": " + describe(e), e);
        }
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
        Function<Instance, Machine> factory = compiled.factory;
        if (factory == null) {
            synchronized (compiled) {
                factory = compiled.factory;
                if (factory == null) {
                    try {
                        factory = compile(cache);
                    } catch (RuntimeException e) {
                        if (cache == null) {
                            throw new ModuleLoadException("cannot compile " + name + ": " + describe(e), e);
                        }
                        // A damaged or foreign cache entry must not stop the module: drop it, compile afresh.
                        cache.evict(module.digest());
                        validateSkipped();
                        try {
                            factory = compile(cache);
                        } catch (RuntimeException again) {
                            throw new ModuleLoadException("cannot compile " + name + ": " + describe(again), again);
                        }
                    }
                    compiled.factory = factory;
                }
            }
        }
        return factory;
    }
}
