package dev.wasmbpf.toolchain;

import dev.wasmbpf.btf.ToolchainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Stand-alone entry point so Makefiles can run the toolchain without the full CLI:
 * {@code java -cp $(cat toolchain/target/tool.classpath):toolchain/target/classes dev.wasmbpf.toolchain.ToolMain gen skeleton X.bpf.o}.
 * Errors are one line on stderr and exit status 1; usage errors exit 2.
 */
@Command(
        name = "wasm-bpf-btf",
        mixinStandardHelpOptions = true,
        description = "Pure-Java BPF ELF/BTF toolchain.",
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
        return describeExpected(ex).orElse("internal error: " + ex);
    }

    /**
     * One line for a failure a toolchain command can meet on bad input (a malformed object, a missing or unreadable
     * file); empty for anything else, which is a bug. The {@code wasm-bpf} CLI answers its toolchain commands with
     * the same words.
     */
    public static Optional<String> describeExpected(Exception ex) {
        return switch (ex) {
            case ToolchainException t -> Optional.of(t.getMessage());
            case NoSuchFileException n -> Optional.of("no such file: " + n.getFile());
            case IOException io -> Optional.of(io.getClass().getSimpleName() + ": " + io.getMessage());
            case UncheckedIOException u -> describeExpected(u.getCause());
            default -> Optional.empty();
        };
    }
}
