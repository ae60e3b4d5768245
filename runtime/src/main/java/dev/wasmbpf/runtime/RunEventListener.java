package dev.wasmbpf.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Receives a running module's {@link RunEvent}s; set it with {@link RunConfig.Builder#events}.
 *
 * <p>Called on the thread where the event happens, mostly the module's own guest thread, one event at a time
 * per module: keep it quick, and make it thread-safe when one listener serves several modules. It is not
 * called per sample (count those with {@link RunningModule#stats()}). An exception it throws is printed on the
 * run's stderr and otherwise ignored: the guest does not see it.
 */
@FunctionalInterface
public interface RunEventListener {
    /**
     * Handles one event.
     *
     * @param event what happened
     */
    void onEvent(RunEvent event);

    /**
     * This listener, then {@code next}.
     *
     * @param next the listener called after this one
     * @return a listener calling both, in order
     */
    default RunEventListener andThen(RunEventListener next) {
        Objects.requireNonNull(next, "next");
        return event -> {
            onEvent(event);
            next.onEvent(event);
        };
    }

    /**
     * The default: prints every {@link RunEvent.Diagnostic} as one line {@code "wasm-bpf: …"} (a trap also
     * with its Wasm stack trace) on {@code stream}, and nothing for lifecycle events. This is what the CLI
     * prints; with {@link RunConfig.Builder#events} it can be combined with a listener of one's own:
     * {@code RunEventListener.diagnostics(System.err).andThen(mine)}.
     *
     * @param stream where the lines go (usually the guest's stderr)
     * @return the printing listener
     */
    static RunEventListener diagnostics(OutputStream stream) {
        // UTF-8 whatever the platform's encoding: the host's messages go out as the guest's own text does.
        PrintStream out = new PrintStream(Objects.requireNonNull(stream, "stream"), true, StandardCharsets.UTF_8);
        return event -> {
            if (event instanceof RunEvent.Diagnostic diagnostic) {
                printDiagnostic(out, diagnostic);
            }
        };
    }

    /**
     * Prints every {@link RunEvent.Lifecycle} event as one line {@code "wasm-bpf: NAME: …"} on {@code stream}
     * (object loaded, program attached, ready, ended), and nothing else: the CLI's {@code --verbose}.
     *
     * @param stream where the lines go
     * @return the printing listener
     */
    static RunEventListener lifecycle(OutputStream stream) {
        PrintStream out = new PrintStream(Objects.requireNonNull(stream, "stream"), true, StandardCharsets.UTF_8);
        return event -> {
            if (event instanceof RunEvent.Lifecycle) {
                out.println("wasm-bpf: " + event.describe());
                out.flush();
            }
        };
    }

    /**
     * Prints one diagnostic as {@link #diagnostics} does.
     *
     * @param out where to print
     * @param diagnostic what to print
     */
    private static void printDiagnostic(PrintStream out, RunEvent.Diagnostic diagnostic) {
        // One println per line as before, so that lines interleave with the guest's own stderr as they did.
        out.println("wasm-bpf: " + diagnostic.describe());
        if (diagnostic instanceof RunEvent.Trapped trapped
                && !trapped.wasmStackTrace().isEmpty()) {
            out.println("wasm stack trace:");
            for (String frame : trapped.wasmStackTrace()) {
                out.println("  at " + frame);
            }
        }
        out.flush();
    }
}
