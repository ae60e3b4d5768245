package dev.wasmbpf.cli;

import dev.wasmbpf.runtime.RunningModule;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM stop the module at its next host call or loop back-edge; the runtime then releases
 * every kernel object and the CLI exits 0. A second signal while cleanup hangs ends the JVM at once (the
 * kernel still reclaims objects whose last fd closes with the process).
 */
final class SignalStop {
    private SignalStop() {}

    static void install(RunningModule running) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() > 1) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                running.terminate();
            });
        }
        // SIGHUP and other orderly JVM exits: still release the kernel objects before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!running.isDone()) {
                running.close();
            }
        }, "wasm-bpf shutdown"));
    }
}
