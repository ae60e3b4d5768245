package dev.wasmbpf.btf.cli;

import dev.wasmbpf.btf.ToolchainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Stand-alone entry point so Makefiles can run the toolchain without the full CLI:
 * {@code java -cp btf.jar:picocli.jar dev.wasmbpf.btf.cli.ToolMain gen skeleton X.bpf.o}.
 * Errors are one line on stderr and exit status 1; usage errors exit 2.
 */
@Command(name = "wasm-bpf-btf", mixinStandardHelpOptions = true, description = "Pure-Java BPF ELF/BTF toolchain.",
        subcommands = {BtfCommand.class, GenCommand.class})
public final class ToolMain {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status (for tests and embedders). */
    public static int run(String... args) {
        return commandLine(new ToolMain()).execute(args);
    }

    /** Configures a picocli CommandLine the way our commands expect: errors as one line. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            line.getErr().println(line.getCommandName() + ": " + describe(ex));
            return 1;
        });
        return cl;
    }

    static String describe(Exception ex) {
        return switch (ex) {
            case ToolchainException t -> t.getMessage();
            case NoSuchFileException n -> "no such file: " + n.getFile();
            case IOException io -> io.getClass().getSimpleName() + ": " + io.getMessage();
            case UncheckedIOException u -> describe(u.getCause());
            default -> "internal error: " + ex;
        };
    }
}
