package dev.wasmbpf.cli;

import dev.wasmbpf.runtime.RunningModule;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM stop the module at its next host call or loop back-edge; the runtime then releases
 * every kernel object and the CLI exits 0. A second signal while cleanup hangs ends the JVM at once (the
 * kernel still reclaims objects whose last fd closes with the process).
 */
final class SignalStop {
    private SignalStop() {}

    /**
     * The runtime abandons a guest that ignores termination outside host calls; one stuck in an interpreted
     * callback under a ring-buffer poll it cannot abandon (native frames use the objects). The process then
     * ends anyway, a while later: the kernel releases what a process held when it exits.
     */
    static void haltIfStillRunning(RunningModule running, int status) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(RunningModule.STOP_GRACE.multipliedBy(3));
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!running.isDone()) {
                        System.err.println(
                                "wasm-bpf: the module did not stop; exiting (the kernel releases its objects with the process)");
                        System.err.flush();
                        Runtime.getRuntime().halt(status);
                    }
                },
                "wasm-bpf stop watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** From asm-generic/signal.h; SIG_DFL is the null handler. */
    private static final int SIGINT = 2;

    /**
     * A shell starts a script's background job with SIGINT ignored, and HotSpot then silently declines to
     * install a handler for it ({@code Signal.handle} returns without one): {@code ./wasm-bpf x & kill -INT $!}
     * was ignored. Native libbpf tools install their own handler regardless, and so do we: the disposition
     * goes back to the default first, so the JVM's registration below takes. Only SIGINT: a job control shell
     * never ignores SIGTERM.
     */
    static void undoInheritedIgnore() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle signal = linker.downcallHandle(
                    linker.defaultLookup().find("signal").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment previous = (MemorySegment) signal.invokeExact(SIGINT, MemorySegment.NULL);
            if (previous.address() != 1L) { // SIG_IGN is (void (*)(int)) 1: anything else was not ours to undo
                MemorySegment restored = (MemorySegment) signal.invokeExact(SIGINT, previous);
            }
        } catch (Throwable e) {
            System.err.println("wasm-bpf: could not reset an ignored SIGINT (" + e + "); Ctrl-C may not stop this run");
        }
    }

    static void install(RunningModule running) {
        undoInheritedIgnore();
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() > 1) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                running.terminate();
                haltIfStillRunning(running, 0);
            });
        }
        // SIGHUP and other orderly JVM exits: still release the kernel objects before the JVM goes.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (!running.isDone()) {
                                running.close();
                            }
                        },
                        "wasm-bpf shutdown"));
    }
}
