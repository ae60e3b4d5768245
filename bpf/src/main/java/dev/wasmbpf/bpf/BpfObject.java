package dev.wasmbpf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibbpfCalls;
import dev.wasmbpf.bpf.internal.LibbpfLog;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import dev.wasmbpf.bpf.link.BpfLink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A libbpf {@code struct bpf_object}: an ELF file's programs and maps, opened, then loaded into
 * the kernel with CO-RE relocations against the running kernel's BTF.
 *
 * <p>The object owns everything made from it: its programs, its maps, and every {@link BpfLink}
 * created through its programs. {@link #close()} destroys those links, then the object, which
 * unloads the programs and closes the map fds. Programs and maps must not be used after close
 * (they throw {@link IllegalStateException}; map operations return {@code -EBADF}).
 *
 * <p>Not thread-safe, except that {@link #close()} is idempotent.
 */
public final class BpfObject implements AutoCloseable {

    private final Arena arena;
    private final MemorySegment handle;
    private final String name;
    private final List<BpfProgram> programs;
    private final List<BpfMap> maps;
    private final Set<BpfLink> links = new LinkedHashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean loaded;

    private BpfObject(Arena arena, MemorySegment handle) {
        this.arena = arena;
        this.handle = handle;
        this.name = LibbpfCalls.objectName(handle).reinterpret(Long.MAX_VALUE).getString(0);
        this.programs = List.copyOf(listPrograms());
        this.maps = List.copyOf(listMaps());
    }

    /**
     * Opens an ELF BPF object from memory ({@code bpf_object__open_mem}) without loading it.
     * The bytes are copied to native memory that lives as long as the object.
     *
     * @param elf the ELF file's bytes
     * @param objectName libbpf's object name, which prefixes internal map names (".rodata" ...)
     * @throws BpfException when libbpf rejects the ELF (message includes libbpf's log)
     */
    public static BpfObject open(byte[] elf, String objectName) throws BpfException {
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(objectName, "objectName");
        if (elf.length == 0) {
            throw new BpfException("cannot open BPF object '" + objectName + "': the ELF image is empty", Errno.EINVAL);
        }
        if (objectName.isEmpty() || objectName.indexOf('\0') >= 0) {
            throw new BpfException(
                    "object name must be non-empty and contain no NUL: '" + objectName + "'", Errno.EINVAL);
        }
        var problem = ObjectPrecheck.problem(elf);
        if (problem.isPresent()) {
            throw new BpfException("cannot open BPF object '" + objectName + "': " + problem.get(), Errno.EINVAL);
        }
        Libbpf.ensureLoaded();
        Arena arena = Arena.ofShared();
        try {
            // libbpf keeps pointing into the buffer until load: it lives in the object's arena.
            MemorySegment buffer = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, buffer, JAVA_BYTE, 0, elf.length);
            MemorySegment opts = arena.allocate(NativeLayouts.OPEN_OPTS);
            opts.set(
                    JAVA_LONG, NativeLayouts.offset(NativeLayouts.OPEN_OPTS, "sz"), NativeLayouts.OPEN_OPTS.byteSize());
            opts.set(
                    ADDRESS,
                    NativeLayouts.offset(NativeLayouts.OPEN_OPTS, "object_name"),
                    arena.allocateFrom(objectName));
            MemorySegment state = CallState.allocate(arena);
            var opened = LibbpfLog.capture(() -> LibbpfCalls.objectOpenMem(state, buffer, elf.length, opts));
            if (opened.result().equals(MemorySegment.NULL)) {
                int errno = CallState.errno(state);
                throw new BpfException(
                        errno == Errno.EPERM
                                ? PermissionDiagnosis.describe()
                                : "cannot open BPF object '" + objectName + "': " + Errno.describe(errno)
                                        + opened.joined(),
                        errno);
            }
            return new BpfObject(arena, opened.result());
        } catch (BpfException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Starts, on another thread, the check {@link #open} runs on an object with our own ELF/BTF reader, for a caller
     * that knows the bytes before it opens them (the runtime finds the objects a module embeds while the module is
     * still being parsed). A later {@link #open} of equal bytes takes that answer instead of reading them again: the
     * same refusal, the same message, off the path to attach. Bytes that are never opened cost one read on a daemon
     * thread; only the last few are remembered.
     *
     * @param elf the ELF file's bytes (copied)
     */
    public static void precheckAhead(byte[] elf) {
        Objects.requireNonNull(elf, "elf");
        ObjectPrecheck.startAhead(elf);
    }

    /**
     * Loads the object ({@code bpf_object__load}): creates maps, applies relocations, verifies
     * and loads every program. On failure the object can only be closed.
     *
     * @throws BpfException whose message includes every WARN and INFO line libbpf printed during
     *     this load on this thread, the verifier log among them
     */
    public void load() throws BpfException {
        ensureOpen();
        var result = LibbpfLog.capture(() -> LibbpfCalls.objectLoad(handle));
        int rc = result.result();
        if (rc < 0) {
            int errno = Errno.normalize(rc);
            throw new BpfException(
                    errno == Errno.EPERM
                            ? PermissionDiagnosis.describe()
                            : "cannot load BPF object '" + name + "': " + Errno.describe(rc) + result.joined(),
                    errno);
        }
        loaded = true;
        for (BpfMap map : maps) {
            map.refreshAfterLoad();
        }
    }

    /** libbpf's object name. */
    public String name() {
        return name;
    }

    public boolean isLoaded() {
        return loaded && !closed.get();
    }

    public List<BpfProgram> programs() {
        return programs;
    }

    /** The program whose C function is called {@code functionName}. */
    public Optional<BpfProgram> program(String functionName) {
        Objects.requireNonNull(functionName, "functionName");
        return programs.stream().filter(p -> p.name().equals(functionName)).findFirst();
    }

    public List<BpfMap> maps() {
        return maps;
    }

    /**
     * The map libbpf calls {@code name}; internal maps are also found by their section name
     * ({@code ".rodata"}, {@code ".data"}, {@code ".bss"}, {@code ".kconfig"}), since libbpf
     * prefixes their names with part of the object name.
     */
    public Optional<BpfMap> map(String name) {
        Objects.requireNonNull(name, "name");
        Optional<BpfMap> exact =
                maps.stream().filter(m -> m.name().equals(name)).findFirst();
        if (exact.isPresent() || !name.startsWith(".")) {
            return exact;
        }
        return maps.stream()
                .filter(m -> m.isInternal() && m.name().endsWith(name))
                .findFirst();
    }

    /** The map of this object whose fd is {@code fd}; empty before load. */
    public Optional<BpfMap> mapByFd(int fd) {
        if (fd < 0) {
            return Optional.empty();
        }
        return maps.stream().filter(m -> m.cachedFd() == fd).findFirst();
    }

    /** Destroys every link made through this object's programs, then closes the object. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<BpfLink> toClose;
        synchronized (links) {
            toClose = new ArrayList<>(links);
            links.clear();
        }
        RuntimeException failure = null;
        for (BpfLink link : toClose.reversed()) {
            try {
                link.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (BpfMap map : maps) {
            map.markClosed();
        }
        LibbpfCalls.objectClose(handle);
        arena.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (closed.get() ? ", closed" : loaded ? ", loaded" : ", opened") + "]";
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("BPF object '" + name + "' is closed");
        }
    }

    /** Takes ownership of a new link; a link made while the object was closing is destroyed. */
    <L extends BpfLink> L adopt(L link) {
        synchronized (links) {
            if (!closed.get()) {
                links.add(link);
                return link;
            }
        }
        link.close();
        throw new IllegalStateException("BPF object '" + name + "' was closed while attaching");
    }

    void forget(BpfLink link) {
        synchronized (links) {
            links.remove(link);
        }
    }

    private List<BpfProgram> listPrograms() {
        List<BpfProgram> result = new ArrayList<>();
        MemorySegment p = LibbpfCalls.objectNextProgram(handle, MemorySegment.NULL);
        while (!p.equals(MemorySegment.NULL)) {
            result.add(new BpfProgram(this, p));
            p = LibbpfCalls.objectNextProgram(handle, p);
        }
        return result;
    }

    private List<BpfMap> listMaps() {
        List<BpfMap> result = new ArrayList<>();
        MemorySegment m = LibbpfCalls.objectNextMap(handle, MemorySegment.NULL);
        while (!m.equals(MemorySegment.NULL)) {
            result.add(new BpfMap(this, m));
            m = LibbpfCalls.objectNextMap(handle, m);
        }
        return result;
    }
}
