package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.wasmbpf.runtime.abi.AbiContext;
import dev.wasmbpf.runtime.abi.AttachPolicy;
import dev.wasmbpf.runtime.abi.WasmBpfImports;
import dev.wasmbpf.runtime.wasi.WasiEnvironment;
import java.io.PrintStream;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One execution of a module: linked before it starts (so link errors surface to the caller), executed on
 * the guest thread, and always followed by the release of every kernel object the guest created.
 */
final class GuestRun {
    private static final String START = "_start";

    private final WasmBpfModule module;
    private final ExecutionControl control;
    private final AbiContext abi;
    private final WasiEnvironment wasi;
    private final ImportValues imports;
    private final Function<Instance, Machine> machineFactory;
    private final PrintStream stderr;
    private final Duration timeout;
    private final OptionalLong maxMemoryPages;
    private volatile boolean memoryGrowRefused;

    private GuestRun(WasmBpfModule module, ExecutionControl control, AbiContext abi, WasiEnvironment wasi,
            ImportValues imports, Function<Instance, Machine> machineFactory, PrintStream stderr, RunConfig config) {
        this.module = module;
        this.control = control;
        this.abi = abi;
        this.wasi = wasi;
        this.imports = imports;
        this.machineFactory = machineFactory;
        this.stderr = stderr;
        this.timeout = config.timeout().orElse(null);
        this.maxMemoryPages = config.maxMemoryPages();
    }

    static GuestRun prepare(WasmBpfModule module, RunConfig config, ExecutionControl control)
            throws ModuleLoadException {
        PrintStream stderr = new PrintStream(config.stderr(), true, java.nio.charset.StandardCharsets.UTF_8);
        List<java.nio.file.Path> preopenedHostDirs =
                config.preopens().stream().map(Preopen::hostPath).toList();
        AbiContext abi = new AbiContext(control, stderr, AttachPolicy.of(config.allowAttach(), preopenedHostDirs),
                config.callbackExportName());
        List<String> argv = new ArrayList<>();
        argv.add(module.name());
        argv.addAll(config.args());
        WasiEnvironment wasi = new WasiEnvironment(argv, config.env(), config.preopens(), config.stdin(),
                config.stdout(), config.stderr(), control);
        try {
            List<HostFunction> offered = new ArrayList<>(WasiBounds.guard(wasi.functions()));
            offered.addAll(new WasmBpfImports(abi, config.wrapperModuleName()).functions(ImportLinker.importedType(
                    module.wasm(), "wasm_bpf", WasmBpfImports.mapOperateName())));
            for (HostFunctionSpec spec : config.hostFunctions()) {
                offered.add(embedderFunction(spec, abi, control));
            }
            ImportValues imports = ImportLinker.link(module.wasm(), offered);
            if (!exportsStart(module)) {
                throw new ModuleLoadException(module.name() + " has no _start export: not a WASI command module");
            }
            checkInitialMemory(module, config);
            return new GuestRun(module, control, abi, wasi, imports,
                    module.machineFactory(config.engine(), config.compileCache()), stderr, config);
        } catch (ModuleLoadException | RuntimeException e) {
            abi.close();
            wasi.close();
            throw e;
        }
    }

    /** A module whose initial memory already exceeds the limit can't start: say so before it does. */
    private static void checkInitialMemory(WasmBpfModule module, RunConfig config) throws ModuleLoadException {
        if (config.maxMemoryPages().isEmpty() || module.wasm().memorySection().isEmpty()) {
            return;
        }
        var memories = module.wasm().memorySection().get();
        for (int i = 0; i < memories.memoryCount(); i++) {
            long initial = memories.getMemory(i).limits().initialPages() * RunConfig.WASM_PAGE_BYTES;
            long limit = config.maxMemoryBytes().getAsLong();
            if (initial > limit) {
                throw new ModuleLoadException(module.name() + " needs " + initial + " bytes of memory at start, more than the "
                        + limit + "-byte memory limit");
            }
        }
    }

    private static boolean exportsStart(WasmBpfModule module) {
        var exports = module.wasm().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            if (exports.getExport(i).name().equals(START)) {
                return true;
            }
        }
        return false;
    }

    private static HostFunction embedderFunction(HostFunctionSpec spec, AbiContext abi, ExecutionControl control) {
        FunctionType type = FunctionType.of(
                spec.params().stream().map(ValueType::wasm).toList(),
                spec.results().stream().map(ValueType::wasm).toList());
        return new HostFunction(spec.module(), spec.name(), type, (instance, args) -> {
            control.checkpoint();
            try {
                long[] results = spec.body().call(abi.guestMemory(), args);
                return results == null ? new long[0] : results;
            } catch (ChicoryException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TrapException("host function " + spec.qualifiedName() + " failed: " + e.getMessage());
            }
        });
    }

    /** The run's time limit, or null. */
    Duration timeout() {
        return timeout;
    }

    ExecutionControl control() {
        return control;
    }

    String moduleName() {
        return module.name();
    }

    /** Runs the guest's _start on the current thread, then releases everything. Never throws. */
    RunResult execute() {
        control.bindGuestThread(Thread.currentThread());
        RunResult result;
        try {
            result = runStart();
        } finally {
            // A termination interrupt must not disturb the cleanup that follows.
            Thread.interrupted();
            release();
        }
        if (result instanceof RunResult.Trapped trapped) {
            reportTrap(trapped);
            if (memoryGrowRefused) {
                result = new RunResult.MemoryLimitExceeded(maxMemoryPages.getAsLong() * RunConfig.WASM_PAGE_BYTES,
                        trapped.message());
            }
        } else if (result instanceof RunResult.TimedOut timedOut) {
            stderr.println("wasm-bpf: " + module.name() + " timed out after " + describe(timedOut.timeout())
                    + ": terminated, everything released");
            stderr.flush();
        }
        return result;
    }

    private RunResult runStart() {
        try {
            Instance.Builder builder = Instance.builder(module.wasm()).withImportValues(imports).withStart(false);
            if (machineFactory != null) {
                builder.withMachineFactory(machineFactory);
            }
            if (maxMemoryPages.isPresent()) {
                builder.withMemoryFactory(limits -> new LimitedMemory(limits, (int) maxMemoryPages.getAsLong(),
                        this::memoryGrowRefused));
            }
            Instance instance = builder.build();
            abi.bind(instance);
            ExportFunction start = instance.export(START);
            control.checkpoint();
            start.apply();
            return new RunResult.Exited(0);
        } catch (WasiExitException e) {
            return new RunResult.Exited(e.exitCode() & 0xFF);
        } catch (ChicoryInterruptedException e) {
            return stopped();
        } catch (StackOverflowError e) {
            return new RunResult.Trapped("call stack exhausted", WasmStackTrace.of(e, module.wasm()));
        } catch (OutOfMemoryError e) {
            return new RunResult.Trapped("out of memory: " + e.getMessage(), List.of());
        } catch (AssertionError e) {
            // Chicory asserts on some malformed modules when assertions are on (-ea): still the guest's fault.
            return new RunResult.Trapped("invalid module: " + e.getMessage(), WasmStackTrace.of(e, module.wasm()));
        } catch (RuntimeException e) {
            if (control.isTerminating()) {
                return stopped();
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new RunResult.Trapped(message, WasmStackTrace.of(e, module.wasm()));
        }
    }

    private RunResult stopped() {
        return control.timedOut() ? new RunResult.TimedOut(timeout) : new RunResult.Terminated();
    }

    /** Reports the first refusal only: a guest retrying malloc in a loop must not flood stderr. */
    private void memoryGrowRefused(int pagesNow, int pagesAsked) {
        if (memoryGrowRefused) {
            return;
        }
        memoryGrowRefused = true;
        stderr.println("wasm-bpf: " + module.name() + ": memory.grow by " + pagesAsked + " pages refused: memory limit "
                + maxMemoryPages.getAsLong() * RunConfig.WASM_PAGE_BYTES + " bytes reached (" + pagesNow + " pages in use)");
        stderr.flush();
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private void reportTrap(RunResult.Trapped trapped) {
        stderr.println("wasm-bpf: " + module.name() + " trapped: " + trapped.message());
        if (!trapped.wasmStackTrace().isEmpty()) {
            stderr.println("wasm stack trace:");
            for (String frame : trapped.wasmStackTrace()) {
                stderr.println("  at " + frame);
            }
        }
        stderr.flush();
    }

    private void release() {
        try {
            abi.close();
        } catch (RuntimeException e) {
            stderr.println("wasm-bpf: releasing BPF objects failed: " + e.getMessage());
        } finally {
            wasi.close();
            stderr.flush();
        }
    }

    /**
     * Linear memory with a lower maximum than the module declares. Chicory's memories are final, so this
     * delegates; {@code grow} past the cap returns -1 (Wasm's "no more memory") and tells the run once.
     */
    static final class LimitedMemory implements com.dylibso.chicory.runtime.Memory {
        interface Refusal {
            void refused(int pagesNow, int pagesAsked);
        }

        private final com.dylibso.chicory.runtime.Memory delegate;
        private final Refusal refusal;

        LimitedMemory(com.dylibso.chicory.wasm.types.MemoryLimits declared, int capPages, Refusal refusal) {
            int maximum = Math.min(declared.maximumPages(), capPages);
            this.delegate = new com.dylibso.chicory.runtime.ByteArrayMemory(new com.dylibso.chicory.wasm.types.MemoryLimits(
                    Math.min(declared.initialPages(), maximum), maximum, declared.shared()));
            this.refusal = refusal;
        }

        @Override
        public int grow(int pages) {
            int before = delegate.pages();
            int result = delegate.grow(pages);
            if (result < 0 && Integer.toUnsignedLong(pages) + before > delegate.maximumPages()) {
                refusal.refused(before, pages);
            }
            return result;
        }

        // Everything else is the delegate's.
        @Override public int pages() { return delegate.pages(); }
        @Override public int initialPages() { return delegate.initialPages(); }
        @Override public int maximumPages() { return delegate.maximumPages(); }
        @Override public boolean shared() { return delegate.shared(); }
        @Override public Object lock(int address) { return delegate.lock(address); }
        @Override public int waitOn(int address, int expected, long timeout) { return delegate.waitOn(address, expected, timeout); }
        @Override public int waitOn(int address, long expected, long timeout) { return delegate.waitOn(address, expected, timeout); }
        @Override public int notify(int address, int count) { return delegate.notify(address, count); }
        @Override public void initialize(Instance instance, com.dylibso.chicory.wasm.types.DataSegment[] segments) { delegate.initialize(instance, segments); }
        @Override public void initialize(Instance instance, com.dylibso.chicory.wasm.types.DataSegment[] segments, int memoryIndex) { delegate.initialize(instance, segments, memoryIndex); }
        @Override public void initPassiveSegment(int segmentId, int dest, int offset, int size) { delegate.initPassiveSegment(segmentId, dest, offset, size); }
        @Override public void write(int addr, byte[] data, int offset, int size) { delegate.write(addr, data, offset, size); }
        @Override public byte read(int addr) { return delegate.read(addr); }
        @Override public byte[] readBytes(int addr, int len) { return delegate.readBytes(addr, len); }
        @Override public void writeI32(int addr, int data) { delegate.writeI32(addr, data); }
        @Override public int readInt(int addr) { return delegate.readInt(addr); }
        @Override public void writeLong(int addr, long data) { delegate.writeLong(addr, data); }
        @Override public long readLong(int addr) { return delegate.readLong(addr); }
        @Override public void writeShort(int addr, short data) { delegate.writeShort(addr, data); }
        @Override public short readShort(int addr) { return delegate.readShort(addr); }
        @Override public long readU16(int addr) { return delegate.readU16(addr); }
        @Override public void writeByte(int addr, byte data) { delegate.writeByte(addr, data); }
        @Override public void writeF32(int addr, float data) { delegate.writeF32(addr, data); }
        @Override public long readF32(int addr) { return delegate.readF32(addr); }
        @Override public float readFloat(int addr) { return delegate.readFloat(addr); }
        @Override public void writeF64(int addr, double data) { delegate.writeF64(addr, data); }
        @Override public double readDouble(int addr) { return delegate.readDouble(addr); }
        @Override public long readF64(int addr) { return delegate.readF64(addr); }
        @Override public void zero() { delegate.zero(); }
        @Override public void fill(byte value, int fromIndex, int toIndex) { delegate.fill(value, fromIndex, toIndex); }
        @Override public void copy(int dest, int src, int size) { delegate.copy(dest, src, size); }
        @Override public void drop(int segment) { delegate.drop(segment); }
    }

    /**
     * Bounds checks in front of Chicory's WASI: some of its functions allocate a Java array of the length the
     * guest passes before they look at memory, so a hostile {@code path_open(…, len = 2 GiB)} became an
     * OutOfMemoryError in the host. Every (pointer, length) pair and every iovec must lie inside memory;
     * otherwise the call fails with WASI's EFAULT and Chicory never sees it.
     */
    static final class WasiBounds {
        private static final int WASI_EFAULT = 21;
        private static final int IOVEC_BYTES = 8;
        private static final long SUBSCRIPTION_BYTES = 48;
        private static final long EVENT_BYTES = 32;

        /** Argument positions of (pointer, length) pairs, by function. */
        private static final java.util.Map<String, int[][]> RANGES = java.util.Map.ofEntries(
                java.util.Map.entry("path_open", new int[][] {{2, 3}}),
                java.util.Map.entry("path_filestat_get", new int[][] {{2, 3}}),
                java.util.Map.entry("path_filestat_set_times", new int[][] {{2, 3}}),
                java.util.Map.entry("path_create_directory", new int[][] {{1, 2}}),
                java.util.Map.entry("path_remove_directory", new int[][] {{1, 2}}),
                java.util.Map.entry("path_unlink_file", new int[][] {{1, 2}}),
                java.util.Map.entry("path_readlink", new int[][] {{1, 2}, {3, 4}}),
                java.util.Map.entry("path_rename", new int[][] {{1, 2}, {4, 5}}),
                java.util.Map.entry("path_symlink", new int[][] {{0, 1}, {3, 4}}),
                java.util.Map.entry("path_link", new int[][] {{2, 3}, {5, 6}}),
                java.util.Map.entry("random_get", new int[][] {{0, 1}}),
                java.util.Map.entry("fd_prestat_dir_name", new int[][] {{1, 2}}),
                java.util.Map.entry("fd_readdir", new int[][] {{1, 2}}));
        /** Argument positions of (iovec array, count), by function. */
        private static final java.util.Map<String, int[]> IOVECS = java.util.Map.of(
                "fd_write", new int[] {1, 2}, "fd_read", new int[] {1, 2},
                "fd_pwrite", new int[] {1, 2}, "fd_pread", new int[] {1, 2});

        private WasiBounds() {}

        static List<HostFunction> guard(List<HostFunction> functions) {
            List<HostFunction> guarded = new ArrayList<>(functions.size());
            for (HostFunction function : functions) {
                int[][] ranges = RANGES.get(function.name());
                int[] iovecs = IOVECS.get(function.name());
                boolean poll = function.name().equals("poll_oneoff");
                if (ranges == null && iovecs == null && !poll) {
                    guarded.add(function);
                    continue;
                }
                var inner = function.handle();
                guarded.add(new HostFunction(function.module(), function.name(), function.functionType(),
                        (instance, args) -> {
                            com.dylibso.chicory.runtime.Memory memory = instance.memory();
                            long size = (long) memory.pages() * com.dylibso.chicory.runtime.Memory.PAGE_SIZE;
                            boolean inside = (ranges == null || rangesInside(args, ranges, size))
                                    && (iovecs == null || iovecsInside(memory, args[iovecs[0]], args[iovecs[1]], size))
                                    && (!poll || pollInside(args, size));
                            return inside ? inner.apply(instance, args) : new long[] {WASI_EFAULT};
                        }));
            }
            return guarded;
        }

        private static boolean inside(long pointer, long length, long size) {
            long start = pointer & 0xFFFF_FFFFL;
            long len = length & 0xFFFF_FFFFL;
            return start + len <= size;
        }

        private static boolean rangesInside(long[] args, int[][] ranges, long size) {
            for (int[] range : ranges) {
                if (!inside(args[range[0]], args[range[1]], size)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean iovecsInside(com.dylibso.chicory.runtime.Memory memory, long iovs, long count, long size) {
            long n = count & 0xFFFF_FFFFL;
            if (!inside(iovs, n * IOVEC_BYTES, size)) {
                return false;
            }
            for (long i = 0; i < n; i++) {
                int at = (int) ((iovs & 0xFFFF_FFFFL) + i * IOVEC_BYTES);
                if (!inside(memory.readInt(at), memory.readInt(at + 4), size)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean pollInside(long[] args, long size) {
            long n = args[2] & 0xFFFF_FFFFL;
            return inside(args[0], n * SUBSCRIPTION_BYTES, size) && inside(args[1], n * EVENT_BYTES, size);
        }
    }
}
