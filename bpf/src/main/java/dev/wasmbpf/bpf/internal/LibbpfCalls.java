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
 * Handles are created when this class initialises, which only happens after
 * {@link LibbpfLibrary#require()} succeeded.
 */
public final class LibbpfCalls {
    private static final Linker.Option ERRNO = CallState.CAPTURE_ERRNO;
    /** Map syscalls are short and never call back: let them read heap segments (guest memory) directly. */
    private static final Linker.Option HEAP_OK = Linker.Option.critical(true);

    private static final MethodHandle SET_PRINT = LibbpfLibrary.libbpf("libbpf_set_print",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle NUM_POSSIBLE_CPUS = LibbpfLibrary.libbpf("libbpf_num_possible_cpus",
            FunctionDescriptor.of(JAVA_INT));

    private static final MethodHandle OBJECT_OPEN_MEM = LibbpfLibrary.libbpf("bpf_object__open_mem",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), ERRNO);
    private static final MethodHandle OBJECT_LOAD = LibbpfLibrary.libbpf("bpf_object__load",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle OBJECT_CLOSE = LibbpfLibrary.libbpf("bpf_object__close",
            FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle OBJECT_NAME = LibbpfLibrary.libbpf("bpf_object__name",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle OBJECT_NEXT_PROGRAM = LibbpfLibrary.libbpf("bpf_object__next_program",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle OBJECT_NEXT_MAP = LibbpfLibrary.libbpf("bpf_object__next_map",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));

    private static final MethodHandle PROGRAM_NAME = LibbpfLibrary.libbpf("bpf_program__name",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle PROGRAM_SECTION_NAME = LibbpfLibrary.libbpf("bpf_program__section_name",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle PROGRAM_TYPE = LibbpfLibrary.libbpf("bpf_program__type",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle PROGRAM_FD = LibbpfLibrary.libbpf("bpf_program__fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle PROGRAM_ATTACH = LibbpfLibrary.libbpf("bpf_program__attach",
            FunctionDescriptor.of(ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle PROGRAM_ATTACH_CGROUP = LibbpfLibrary.libbpf("bpf_program__attach_cgroup",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle PROGRAM_ATTACH_XDP = LibbpfLibrary.libbpf("bpf_program__attach_xdp",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle PROGRAM_ATTACH_UPROBE_OPTS = LibbpfLibrary.libbpf(
            "bpf_program__attach_uprobe_opts",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), ERRNO);
    private static final MethodHandle LINK_DESTROY = LibbpfLibrary.libbpf("bpf_link__destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private static final MethodHandle TC_HOOK_CREATE = LibbpfLibrary.libbpf("bpf_tc_hook_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle TC_HOOK_DESTROY = LibbpfLibrary.libbpf("bpf_tc_hook_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle TC_ATTACH = LibbpfLibrary.libbpf("bpf_tc_attach",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle TC_DETACH = LibbpfLibrary.libbpf("bpf_tc_detach",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private static final MethodHandle MAP_NAME = LibbpfLibrary.libbpf("bpf_map__name",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle MAP_FD = LibbpfLibrary.libbpf("bpf_map__fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_TYPE = LibbpfLibrary.libbpf("bpf_map__type",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_KEY_SIZE = LibbpfLibrary.libbpf("bpf_map__key_size",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_VALUE_SIZE = LibbpfLibrary.libbpf("bpf_map__value_size",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_MAX_ENTRIES = LibbpfLibrary.libbpf("bpf_map__max_entries",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_IS_INTERNAL = LibbpfLibrary.libbpf("bpf_map__is_internal",
            FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));

    // libbpf 1.x map helpers return -errno directly (libbpf_err_errno), no errno capture needed.
    private static final MethodHandle MAP_LOOKUP_ELEM = LibbpfLibrary.libbpf("bpf_map_lookup_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), HEAP_OK);
    private static final MethodHandle MAP_UPDATE_ELEM = LibbpfLibrary.libbpf("bpf_map_update_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), HEAP_OK);
    private static final MethodHandle MAP_DELETE_ELEM = LibbpfLibrary.libbpf("bpf_map_delete_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), HEAP_OK);
    private static final MethodHandle MAP_GET_NEXT_KEY = LibbpfLibrary.libbpf("bpf_map_get_next_key",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), HEAP_OK);

    private static final MethodHandle PROG_GET_NEXT_ID = LibbpfLibrary.libbpf("bpf_prog_get_next_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_GET_NEXT_ID = LibbpfLibrary.libbpf("bpf_map_get_next_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle LINK_GET_NEXT_ID = LibbpfLibrary.libbpf("bpf_link_get_next_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle OBJ_GET_INFO_BY_FD = LibbpfLibrary.libbpf("bpf_obj_get_info_by_fd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private static final MethodHandle RING_BUFFER_NEW = LibbpfLibrary.libbpf("ring_buffer__new",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle RING_BUFFER_POLL = LibbpfLibrary.libbpf("ring_buffer__poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RING_BUFFER_FREE = LibbpfLibrary.libbpf("ring_buffer__free",
            FunctionDescriptor.ofVoid(ADDRESS));

    private static final MethodHandle PERF_BUFFER_NEW_RAW = LibbpfLibrary.libbpf("perf_buffer__new_raw",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle PERF_BUFFER_POLL = LibbpfLibrary.libbpf("perf_buffer__poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PERF_BUFFER_CONSUME = LibbpfLibrary.libbpf("perf_buffer__consume",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle PERF_BUFFER_FREE = LibbpfLibrary.libbpf("perf_buffer__free",
            FunctionDescriptor.ofVoid(ADDRESS));

    private LibbpfCalls() {
    }

    public static MemorySegment setPrint(MemorySegment fn) {
        try {
            return (MemorySegment) SET_PRINT.invokeExact(fn);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int numPossibleCpus() {
        try {
            return (int) NUM_POSSIBLE_CPUS.invokeExact();
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment objectOpenMem(MemorySegment state, MemorySegment buf, long size, MemorySegment opts) {
        try {
            return (MemorySegment) OBJECT_OPEN_MEM.invokeExact(state, buf, size, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int objectLoad(MemorySegment obj) {
        try {
            return (int) OBJECT_LOAD.invokeExact(obj);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static void objectClose(MemorySegment obj) {
        try {
            OBJECT_CLOSE.invokeExact(obj);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment objectName(MemorySegment obj) {
        return pointerOf(OBJECT_NAME, obj);
    }

    public static MemorySegment objectNextProgram(MemorySegment obj, MemorySegment prev) {
        try {
            return (MemorySegment) OBJECT_NEXT_PROGRAM.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment objectNextMap(MemorySegment obj, MemorySegment prev) {
        try {
            return (MemorySegment) OBJECT_NEXT_MAP.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programName(MemorySegment prog) {
        return pointerOf(PROGRAM_NAME, prog);
    }

    public static MemorySegment programSectionName(MemorySegment prog) {
        return pointerOf(PROGRAM_SECTION_NAME, prog);
    }

    public static int programType(MemorySegment prog) {
        return intOf(PROGRAM_TYPE, prog);
    }

    public static int programFd(MemorySegment prog) {
        return intOf(PROGRAM_FD, prog);
    }

    public static MemorySegment programAttach(MemorySegment state, MemorySegment prog) {
        try {
            return (MemorySegment) PROGRAM_ATTACH.invokeExact(state, prog);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programAttachCgroup(MemorySegment state, MemorySegment prog, int cgroupFd) {
        try {
            return (MemorySegment) PROGRAM_ATTACH_CGROUP.invokeExact(state, prog, cgroupFd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programAttachXdp(MemorySegment state, MemorySegment prog, int ifindex) {
        try {
            return (MemorySegment) PROGRAM_ATTACH_XDP.invokeExact(state, prog, ifindex);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment programAttachUprobeOpts(MemorySegment state, MemorySegment prog, int pid,
            MemorySegment binaryPath, long funcOffset, MemorySegment opts) {
        try {
            return (MemorySegment) PROGRAM_ATTACH_UPROBE_OPTS.invokeExact(state, prog, pid, binaryPath, funcOffset,
                    opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int linkDestroy(MemorySegment link) {
        return intOf(LINK_DESTROY, link);
    }

    public static int tcHookCreate(MemorySegment hook) {
        return intOf(TC_HOOK_CREATE, hook);
    }

    public static int tcHookDestroy(MemorySegment hook) {
        return intOf(TC_HOOK_DESTROY, hook);
    }

    public static int tcAttach(MemorySegment hook, MemorySegment opts) {
        try {
            return (int) TC_ATTACH.invokeExact(hook, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int tcDetach(MemorySegment hook, MemorySegment opts) {
        try {
            return (int) TC_DETACH.invokeExact(hook, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment mapName(MemorySegment map) {
        return pointerOf(MAP_NAME, map);
    }

    public static int mapFd(MemorySegment map) {
        return intOf(MAP_FD, map);
    }

    public static int mapType(MemorySegment map) {
        return intOf(MAP_TYPE, map);
    }

    public static int mapKeySize(MemorySegment map) {
        return intOf(MAP_KEY_SIZE, map);
    }

    public static int mapValueSize(MemorySegment map) {
        return intOf(MAP_VALUE_SIZE, map);
    }

    public static int mapMaxEntries(MemorySegment map) {
        return intOf(MAP_MAX_ENTRIES, map);
    }

    public static boolean mapIsInternal(MemorySegment map) {
        try {
            return (boolean) MAP_IS_INTERNAL.invokeExact(map);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapLookupElem(int fd, MemorySegment key, MemorySegment value) {
        try {
            return (int) MAP_LOOKUP_ELEM.invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapUpdateElem(int fd, MemorySegment key, MemorySegment value, long flags) {
        try {
            return (int) MAP_UPDATE_ELEM.invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapDeleteElem(int fd, MemorySegment key) {
        try {
            return (int) MAP_DELETE_ELEM.invokeExact(fd, key);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int mapGetNextKey(int fd, MemorySegment key, MemorySegment nextKey) {
        try {
            return (int) MAP_GET_NEXT_KEY.invokeExact(fd, key, nextKey);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int progGetNextId(int start, MemorySegment next) {
        return nextId(PROG_GET_NEXT_ID, start, next);
    }

    public static int mapGetNextId(int start, MemorySegment next) {
        return nextId(MAP_GET_NEXT_ID, start, next);
    }

    public static int linkGetNextId(int start, MemorySegment next) {
        return nextId(LINK_GET_NEXT_ID, start, next);
    }

    public static int objGetInfoByFd(int fd, MemorySegment info, MemorySegment infoLen) {
        try {
            return (int) OBJ_GET_INFO_BY_FD.invokeExact(fd, info, infoLen);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment ringBufferNew(MemorySegment state, int mapFd, MemorySegment sampleCb,
            MemorySegment ctx, MemorySegment opts) {
        try {
            return (MemorySegment) RING_BUFFER_NEW.invokeExact(state, mapFd, sampleCb, ctx, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int ringBufferPoll(MemorySegment rb, int timeoutMs) {
        try {
            return (int) RING_BUFFER_POLL.invokeExact(rb, timeoutMs);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static void ringBufferFree(MemorySegment rb) {
        try {
            RING_BUFFER_FREE.invokeExact(rb);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static MemorySegment perfBufferNewRaw(MemorySegment state, int mapFd, long pageCount,
            MemorySegment attr, MemorySegment eventCb, MemorySegment ctx, MemorySegment opts) {
        try {
            return (MemorySegment) PERF_BUFFER_NEW_RAW.invokeExact(state, mapFd, pageCount, attr, eventCb, ctx, opts);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int perfBufferPoll(MemorySegment pb, int timeoutMs) {
        try {
            return (int) PERF_BUFFER_POLL.invokeExact(pb, timeoutMs);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int perfBufferConsume(MemorySegment pb) {
        return intOf(PERF_BUFFER_CONSUME, pb);
    }

    public static void perfBufferFree(MemorySegment pb) {
        try {
            PERF_BUFFER_FREE.invokeExact(pb);
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
