package dev.wasmbpf.bpf.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.wasmbpf.bpf.LibbpfLogLevel;
import dev.wasmbpf.bpf.LibbpfLogSink;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The process-wide {@code libbpf_set_print} callback. libbpf calls it synchronously on the thread
 * that made the libbpf call, so a {@link ThreadLocal} tells apart the lines of concurrent loads:
 * {@link #capture} collects what one thread's operation printed, e.g. the verifier log for the
 * exception of a failed load.
 */
public final class LibbpfLog {
    /** Sink for everything, {@code null} meaning {@link #defaultSink}. */
    private static volatile LibbpfLogSink sink;

    private static final ThreadLocal<Capture> CAPTURED = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> MUTED = new ThreadLocal<>();
    /** Also sees the WARN and INFO lines of its own thread: how a runtime tells whose call printed a line. */
    private static final ThreadLocal<LibbpfLogSink> THREAD_OBSERVER = new ThreadLocal<>();

    /** 24 bytes on x86_64 ({@link NativeLayouts#VA_LIST}). */
    private static final long VA_LIST_SIZE = NativeLayouts.VA_LIST.byteSize();

    private static final int FIRST_BUFFER = 1024;
    private static final String PREFIX = "libbpf: ";

    private static boolean installed;

    private LibbpfLog() {}

    /** Installs the print callback once; later calls do nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            var target = MethodHandles.lookup()
                    .findStatic(
                            LibbpfLog.class,
                            "print",
                            MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = LibbpfLibrary.LINKER.upcallStub(
                    target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            LibbpfCalls.setPrint(stub);
            installed = true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot bind the libbpf print callback", e);
        }
    }

    public static void setSink(LibbpfLogSink newSink) {
        sink = newSink;
    }

    /** Sets (null: clears) the current thread's observer; see {@link dev.wasmbpf.bpf.Libbpf#observeThreadLog}. */
    public static void setThreadObserver(LibbpfLogSink observer) {
        if (observer == null) {
            THREAD_OBSERVER.remove();
        } else {
            THREAD_OBSERVER.set(observer);
        }
    }

    /** The default sink: WARN and INFO to {@code System.err} prefixed "libbpf: ", DEBUG dropped. */
    public static void defaultSink(LibbpfLogLevel level, String message) {
        if (level != LibbpfLogLevel.DEBUG) {
            System.err.println(PREFIX + message);
        }
    }

    /** One libbpf log line. */
    public record Line(LibbpfLogLevel level, String message) {}

    /** What one operation printed at WARN and INFO level, plus the operation's result. */
    public record Captured<T>(T result, List<Line> lines) {
        /** The lines, each on its own line after a leading newline; empty when there are none. */
        public String joined() {
            StringBuilder text = new StringBuilder();
            for (Line line : lines) {
                text.append('\n').append(line.message());
            }
            return text.toString();
        }

        /** Hands the lines of a {@link #captureQuietly quiet} capture to the sink after all. */
        public void forward() {
            for (Line line : lines) {
                deliver(line.level(), line.message());
            }
        }
    }

    /** The lines collected on one thread, and whether they also go to the sink right away. */
    private record Capture(List<Line> lines, boolean quiet) {}

    /**
     * Runs {@code operation} collecting the WARN and INFO lines libbpf prints on this thread
     * meanwhile (they still reach the sink). Nested captures each see their own lines.
     */
    public static <T> Captured<T> capture(Supplier<T> operation) {
        return capture(operation, false);
    }

    /**
     * Like {@link #capture} but withholds the lines from the sink: for calls where libbpf warns
     * about outcomes we accept (e.g. EEXIST). Call {@link Captured#forward()} if they matter.
     */
    public static <T> Captured<T> captureQuietly(Supplier<T> operation) {
        return capture(operation, true);
    }

    private static <T> Captured<T> capture(Supplier<T> operation, boolean quiet) {
        Capture outer = CAPTURED.get();
        Capture current = new Capture(new ArrayList<>(), quiet);
        CAPTURED.set(current);
        try {
            T result = operation.get();
            return new Captured<>(result, List.copyOf(current.lines()));
        } finally {
            if (outer == null) {
                CAPTURED.remove();
            } else {
                outer.lines().addAll(current.lines());
                CAPTURED.set(outer);
            }
        }
    }

    /**
     * Drops libbpf's lines on this thread while {@code muted}: used when we make libbpf stop on
     * purpose and it would otherwise warn about the error we returned.
     */
    public static void muteCurrentThread(boolean muted) {
        if (muted) {
            MUTED.set(Boolean.TRUE);
        } else {
            MUTED.remove();
        }
    }

    /** The upcall. An exception escaping here would kill the JVM, so nothing escapes. */
    private static int print(int rawLevel, MemorySegment format, MemorySegment vaList) {
        try {
            if (MUTED.get() != null) {
                return 0;
            }
            LibbpfLogLevel level = LibbpfLogLevel.of(rawLevel);
            Capture capture = CAPTURED.get();
            boolean wanted = level != LibbpfLogLevel.DEBUG || sink != null;
            if (!wanted) {
                return 0;
            }
            String message = stripped(format(format, vaList));
            if (capture != null && level != LibbpfLogLevel.DEBUG) {
                capture.lines().add(new Line(level, message));
            }
            if (capture == null || !capture.quiet()) {
                deliver(level, message);
                LibbpfLogSink observer = THREAD_OBSERVER.get();
                if (observer != null && level != LibbpfLogLevel.DEBUG) {
                    observer.log(level, message);
                }
            }
        } catch (Throwable t) {
            try {
                System.err.println("libbpf log sink failed: " + t);
            } catch (Throwable ignored) {
                // Nothing more can be done inside an upcall.
            }
        }
        return 0;
    }

    private static void deliver(LibbpfLogLevel level, String message) {
        LibbpfLogSink current = sink;
        if (current == null) {
            defaultSink(level, message);
        } else {
            current.log(level, message);
        }
    }

    private static String format(MemorySegment format, MemorySegment vaList) {
        MemorySegment fmt = format.reinterpret(Long.MAX_VALUE);
        MemorySegment original = vaList.reinterpret(VA_LIST_SIZE);
        try (Arena arena = Arena.ofConfined()) {
            // vsnprintf consumes the va_list it is given; copying the 24-byte tag is va_copy on x86_64,
            // so a too-small first buffer can be retried from the untouched original.
            MemorySegment ap = arena.allocate(VA_LIST_SIZE, 8);
            ap.copyFrom(original);
            MemorySegment buffer = arena.allocate(FIRST_BUFFER);
            int length = LibcCalls.vsnprintf(buffer, FIRST_BUFFER, fmt, ap);
            if (length < 0) {
                return fmt.getString(0);
            }
            if (length >= FIRST_BUFFER) {
                ap.copyFrom(original);
                buffer = arena.allocate(length + 1L);
                LibcCalls.vsnprintf(buffer, length + 1L, fmt, ap);
            }
            return buffer.getString(0);
        }
    }

    private static String stripped(String message) {
        String m = message.startsWith(PREFIX) ? message.substring(PREFIX.length()) : message;
        int end = m.length();
        while (end > 0 && (m.charAt(end - 1) == '\n' || m.charAt(end - 1) == '\r')) {
            end--;
        }
        return m.substring(0, end);
    }
}
