package dev.wasmbpf.bpf.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls into libbpf 1.1 ({@code /usr/include/bpf/libbpf.h} and {@code bpf.h}). Functions
 * documented there as "NULL on error with errno set" take a leading {@link CallState} segment.
 * Each handle lives in its own holder class, so it is created on first use: linking all of them
 * eagerly cost about 230 ms of every start, and a run needs a third of them. Callers go through
 * {@link dev.wasmbpf.bpf.Libbpf#ensureLoaded()} first, so a holder initialises only after
 * {@link LibbpfLibrary#require()} succeeded. The handles stay {@code static final}: the JIT still
 * treats them as constants.
 */
public final class LibbpfCalls {
    private static final Linker.Option ERRNO = CallState.CAPTURE_ERRNO;
    /** Map syscalls are short and never call back: let them read heap segments (guest memory) directly. */
    private static final Linker.Option HEAP_OK = Linker.Option.critical(true);

    private static final class SetPrint {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    }

    private static final class NumPossibleCpus {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class ObjectOpenMem {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), ERRNO);
    }

    private static final class ObjectLoad {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class ObjectClose {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static final class ObjectName {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_object__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    }

    private static final class ObjectNextProgram {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    }

    private static final class ObjectNextMap {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    }

    private static final class ProgramName {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    }

    private static final class ProgramSectionName {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    }

    private static final class ProgramType {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_program__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class ProgramFd {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class ProgramAttach {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS), ERRNO);
    }

    private static final class ProgramAttachCgroup {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_program__attach_cgroup", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), ERRNO);
    }

    private static final class ProgramAttachXdp {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_program__attach_xdp", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), ERRNO);
    }

    private static final class ProgramAttachUprobeOpts {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_program__attach_uprobe_opts",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS),
                ERRNO);
    }

    private static final class LinkDestroy {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class TcHookCreate {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_tc_hook_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class TcHookDestroy {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_tc_hook_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class TcAttach {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_tc_attach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class TcDetach {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_tc_detach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class MapName {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    }

    private static final class MapFd {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class MapType {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class MapKeySize {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class MapValueSize {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class MapMaxEntries {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class MapIsInternal {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map__is_internal", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
    }

    // libbpf 1.x map helpers return -errno directly (libbpf_err_errno), no errno capture needed.
    private static final class MapLookupElem {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), HEAP_OK);
    }

    private static final class MapUpdateElem {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), HEAP_OK);
    }

    private static final class MapDeleteElem {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), HEAP_OK);
    }

    private static final class MapGetNextKey {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), HEAP_OK);
    }

    private static final class ProgGetNextId {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_prog_get_next_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class MapGetNextId {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_map_get_next_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class LinkGetNextId {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("bpf_link_get_next_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class ObjGetInfoByFd {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "bpf_obj_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class PerfBufferNewRaw {
        static final MethodHandle HANDLE = LibbpfLibrary.libbpf(
                "perf_buffer__new_raw",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                ERRNO);
    }

    private static final class PerfBufferPoll {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("perf_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class PerfBufferConsume {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("perf_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class PerfBufferFree {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libbpf("perf_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private LibbpfCalls() {}

    public static MemorySegment setPrint(MemorySegment fn) {
        try {
            return (MemorySegment) SetPrint.HANDLE.invokeExact(fn);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int numPossibleCpus() {
        try {
            return (int) NumPossibleCpus.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment objectOpenMem(MemorySegment state, MemorySegment buf, long size, MemorySegment opts) {
        try {
            return (MemorySegment) ObjectOpenMem.HANDLE.invokeExact(state, buf, size, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int objectLoad(MemorySegment obj) {
        try {
            return (int) ObjectLoad.HANDLE.invokeExact(obj);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static void objectClose(MemorySegment obj) {
        try {
            ObjectClose.HANDLE.invokeExact(obj);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment objectName(MemorySegment obj) {
        return pointerOf(ObjectName.HANDLE, obj);
    }

    public static MemorySegment objectNextProgram(MemorySegment obj, MemorySegment prev) {
        try {
            return (MemorySegment) ObjectNextProgram.HANDLE.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment objectNextMap(MemorySegment obj, MemorySegment prev) {
        try {
            return (MemorySegment) ObjectNextMap.HANDLE.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programName(MemorySegment prog) {
        return pointerOf(ProgramName.HANDLE, prog);
    }

    public static MemorySegment programSectionName(MemorySegment prog) {
        return pointerOf(ProgramSectionName.HANDLE, prog);
    }

    public static int programType(MemorySegment prog) {
        return intOf(ProgramType.HANDLE, prog);
    }

    public static int programFd(MemorySegment prog) {
        return intOf(ProgramFd.HANDLE, prog);
    }

    public static MemorySegment programAttach(MemorySegment state, MemorySegment prog) {
        try {
            return (MemorySegment) ProgramAttach.HANDLE.invokeExact(state, prog);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programAttachCgroup(MemorySegment state, MemorySegment prog, int cgroupFd) {
        try {
            return (MemorySegment) ProgramAttachCgroup.HANDLE.invokeExact(state, prog, cgroupFd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programAttachXdp(MemorySegment state, MemorySegment prog, int ifindex) {
        try {
            return (MemorySegment) ProgramAttachXdp.HANDLE.invokeExact(state, prog, ifindex);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programAttachUprobeOpts(
            MemorySegment state,
            MemorySegment prog,
            int pid,
            MemorySegment binaryPath,
            long funcOffset,
            MemorySegment opts) {
        try {
            return (MemorySegment)
                    ProgramAttachUprobeOpts.HANDLE.invokeExact(state, prog, pid, binaryPath, funcOffset, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int linkDestroy(MemorySegment link) {
        return intOf(LinkDestroy.HANDLE, link);
    }

    public static int tcHookCreate(MemorySegment hook) {
        return intOf(TcHookCreate.HANDLE, hook);
    }

    public static int tcHookDestroy(MemorySegment hook) {
        return intOf(TcHookDestroy.HANDLE, hook);
    }

    public static int tcAttach(MemorySegment hook, MemorySegment opts) {
        try {
            return (int) TcAttach.HANDLE.invokeExact(hook, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int tcDetach(MemorySegment hook, MemorySegment opts) {
        try {
            return (int) TcDetach.HANDLE.invokeExact(hook, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment mapName(MemorySegment map) {
        return pointerOf(MapName.HANDLE, map);
    }

    public static int mapFd(MemorySegment map) {
        return intOf(MapFd.HANDLE, map);
    }

    public static int mapType(MemorySegment map) {
        return intOf(MapType.HANDLE, map);
    }

    public static int mapKeySize(MemorySegment map) {
        return intOf(MapKeySize.HANDLE, map);
    }

    public static int mapValueSize(MemorySegment map) {
        return intOf(MapValueSize.HANDLE, map);
    }

    public static int mapMaxEntries(MemorySegment map) {
        return intOf(MapMaxEntries.HANDLE, map);
    }

    public static boolean mapIsInternal(MemorySegment map) {
        try {
            return (boolean) MapIsInternal.HANDLE.invokeExact(map);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapLookupElem(int fd, MemorySegment key, MemorySegment value) {
        try {
            return (int) MapLookupElem.HANDLE.invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapUpdateElem(int fd, MemorySegment key, MemorySegment value, long flags) {
        try {
            return (int) MapUpdateElem.HANDLE.invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapDeleteElem(int fd, MemorySegment key) {
        try {
            return (int) MapDeleteElem.HANDLE.invokeExact(fd, key);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapGetNextKey(int fd, MemorySegment key, MemorySegment nextKey) {
        try {
            return (int) MapGetNextKey.HANDLE.invokeExact(fd, key, nextKey);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int progGetNextId(int start, MemorySegment next) {
        return nextId(ProgGetNextId.HANDLE, start, next);
    }

    public static int mapGetNextId(int start, MemorySegment next) {
        return nextId(MapGetNextId.HANDLE, start, next);
    }

    public static int linkGetNextId(int start, MemorySegment next) {
        return nextId(LinkGetNextId.HANDLE, start, next);
    }

    public static int objGetInfoByFd(int fd, MemorySegment info, MemorySegment infoLen) {
        try {
            return (int) ObjGetInfoByFd.HANDLE.invokeExact(fd, info, infoLen);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment perfBufferNewRaw(
            MemorySegment state,
            int mapFd,
            long pageCount,
            MemorySegment attr,
            MemorySegment eventCb,
            MemorySegment ctx,
            MemorySegment opts) {
        try {
            return (MemorySegment)
                    PerfBufferNewRaw.HANDLE.invokeExact(state, mapFd, pageCount, attr, eventCb, ctx, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int perfBufferPoll(MemorySegment pb, int timeoutMs) {
        try {
            return (int) PerfBufferPoll.HANDLE.invokeExact(pb, timeoutMs);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int perfBufferConsume(MemorySegment pb) {
        return intOf(PerfBufferConsume.HANDLE, pb);
    }

    public static void perfBufferFree(MemorySegment pb) {
        try {
            PerfBufferFree.HANDLE.invokeExact(pb);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    private static MemorySegment pointerOf(MethodHandle handle, MemorySegment arg) {
        try {
            return (MemorySegment) handle.invokeExact(arg);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    private static int intOf(MethodHandle handle, MemorySegment arg) {
        try {
            return (int) handle.invokeExact(arg);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    private static int nextId(MethodHandle handle, int start, MemorySegment next) {
        try {
            return (int) handle.invokeExact(start, next);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Downcalls throw only what Java code inside them threw (upcalls): pass it on unchanged. */
    static RuntimeException failure(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a native call", t);
    }
}
