package dev.wasmbpf.bpf.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls libbpf does not cover: formatting its log, opening cgroups and packet sockets,
 * mapping and waiting on ring buffers. One holder class per handle, created on first use (see
 * {@link LibbpfCalls}).
 */
public final class LibcCalls {
    public static final int O_RDONLY = 0;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_ATTACH_BPF = 50;
    /** {@code ETH_P_ALL} from {@code linux/if_ether.h}, host order; sockets want it big-endian. */
    public static final int ETH_P_ALL = 0x0003;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    /** {@code MAP_FAILED}, i.e. {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;

    public static final int SC_PAGESIZE = 30;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLLIN = 1;
    /** {@code struct epoll_event} is packed on x86_64: u32 events, u64 data. */
    public static final int EPOLL_EVENT_BYTES = 12;

    private static final Linker.Option ERRNO = CallState.CAPTURE_ERRNO;

    private static final class Vsnprintf {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("vsnprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    }

    private static final class IfNametoindex {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS), ERRNO);
    }

    private static final class Open {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    }

    private static final class Close {
        static final MethodHandle HANDLE = LibbpfLibrary.libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Socket {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    }

    private static final class Bind {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    }

    private static final class Setsockopt {
        static final MethodHandle HANDLE = LibbpfLibrary.libc(
                "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    }

    private static final class Sysconf {
        static final MethodHandle HANDLE = LibbpfLibrary.libc("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = LibbpfLibrary.libc(
                "mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                ERRNO);
    }

    private static final class Munmap {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class EpollCreate1 {
        static final MethodHandle HANDLE =
                LibbpfLibrary.libc("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    }

    private static final class EpollCtl {
        static final MethodHandle HANDLE = LibbpfLibrary.libc(
                "epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    }
    /** Blocks, so it must not be a critical downcall: the JVM reaches safepoints while the thread waits. */
    private static final class EpollWait {
        static final MethodHandle HANDLE = LibbpfLibrary.libc(
                "epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO);
    }

    private LibcCalls() {}

    /** {@code vsnprintf}; {@code vaList} is the x86_64 SysV {@code va_list}, i.e. a pointer. */
    public static int vsnprintf(MemorySegment buf, long size, MemorySegment format, MemorySegment vaList) {
        try {
            return (int) Vsnprintf.HANDLE.invokeExact(buf, size, format, vaList);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int ifNameToIndex(MemorySegment state, MemorySegment name) {
        try {
            return (int) IfNametoindex.HANDLE.invokeExact(state, name);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int open(MemorySegment state, MemorySegment path, int flags) {
        try {
            return (int) Open.HANDLE.invokeExact(state, path, flags);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int close(int fd) {
        try {
            return (int) Close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return (int) Socket.HANDLE.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int bind(MemorySegment state, int fd, MemorySegment address, int length) {
        try {
            return (int) Bind.HANDLE.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) Setsockopt.HANDLE.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static long sysconf(int name) {
        try {
            return (long) Sysconf.HANDLE.invokeExact(name);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    /** {@code mmap}; the result is {@link #MAP_FAILED} (address -1) on failure, with errno in {@code state}. */
    public static MemorySegment mmap(MemorySegment state, long length, int prot, int flags, int fd, long offset) {
        try {
            return (MemorySegment) Mmap.HANDLE.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int munmap(MemorySegment address, long length) {
        try {
            return (int) Munmap.HANDLE.invokeExact(address, length);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int epollCreate1(MemorySegment state, int flags) {
        try {
            return (int) EpollCreate1.HANDLE.invokeExact(state, flags);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int epollCtl(MemorySegment state, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EpollCtl.HANDLE.invokeExact(state, epfd, op, fd, event);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }

    public static int epollWait(MemorySegment state, int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            return (int) EpollWait.HANDLE.invokeExact(state, epfd, events, maxEvents, timeoutMs);
        } catch (Throwable t) {
            throw LibbpfCalls.failure(t);
        }
    }
}
