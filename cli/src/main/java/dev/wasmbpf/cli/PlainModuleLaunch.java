package dev.wasmbpf.cli;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The common launch, {@code wasm-bpf MODULE [guest args…]} with no option of ours, runs without picocli.
 * Everything after the module belongs to the guest, so there is nothing to parse; skipping picocli saves
 * the ~170 classes it loads outside the JDK's AOT cache (its class files are too old to be stored there)
 * and its reflection over the annotated commands: about a third of the CPU spent before the module starts.
 */
final class PlainModuleLaunch {
    private PlainModuleLaunch() {}

    /** Options, picocli's @argument files and subcommand names need the full command line. */
    static boolean appliesTo(String[] args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        return !first.isEmpty()
                && !first.startsWith("-")
                && !first.startsWith("@")
                && !Main.SUBCOMMANDS.containsKey(first);
    }

    static int run(String[] args) {
        WasmBpfCommand command = new WasmBpfCommand();
        command.module = args[0];
        command.guestArgs = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        try {
            return command.call();
        } catch (RuntimeException e) {
            return new Diagnostics(false).fail("internal error: " + e, e, 70);
        }
    }
}
