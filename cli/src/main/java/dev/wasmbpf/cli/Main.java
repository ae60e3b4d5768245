package dev.wasmbpf.cli;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.toolchain.BtfCommand;
import dev.wasmbpf.toolchain.GenCommand;
import dev.wasmbpf.toolchain.ToolMain;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Entry point of the {@code wasm-bpf} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (AotTraining.requested()) {
            // Recording the client commands' AOT cache: they run against a stand-in daemon instead of this line.
            System.exit(AotTraining.runClientCommands());
        }
        if (args.length > 0 && args[0].equals("daemon")) {
            // The node agent parses its own options: no picocli on its start-up path.
            System.exit(dev.wasmbpf.daemon.Daemon.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        int status = PlainModuleLaunch.appliesTo(args)
                ? PlainModuleLaunch.run(args)
                : commandLineFor(args).execute(args);
        // Every release has happened here, and the fds still exist: the tests' leak check reads this report.
        HeldKernelObjects.reportIfRequested();
        System.exit(status);
    }

    /**
     * Every subcommand, by name, in the order {@code --help} lists them: the one table the full command line and
     * {@link PlainModuleLaunch} read. Subcommand names win over module names: a module file called "run" runs as
     * ./run. Each entry makes its command only when asked, because picocli builds a command's model by reflection
     * over its annotations, from class files too old for the JDK's AOT cache to keep.
     */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> table = new LinkedHashMap<>();
        table.put("btf", BtfCommand::new);
        table.put("gen", GenCommand::new);
        table.put("push", PushCommand::new);
        table.put("pull", PullCommand::new);
        table.put("run", RunCommand::commandLine);
        table.put("inspect", InspectCommand::new);
        // The node agent's client commands, in Docker's words.
        table.put("ps", PsCommand::new);
        table.put("logs", LogsCommand::new);
        table.put("stop", ModuleActionCommand.Stop::new);
        table.put("rm", ModuleActionCommand.Remove::new);
        table.put("pause", ModuleActionCommand.Pause::new);
        table.put("unpause", ModuleActionCommand.Unpause::new);
        return Collections.unmodifiableMap(table);
    }

    /** The full command line, every subcommand in it (for {@code --help}, options before a subcommand …). */
    static CommandLine commandLine() {
        return withSubcommands(moduleRunner(), SUBCOMMANDS.keySet());
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name, only that subcommand is built
     * (a client command such as {@code ps} or {@code run -d} then skips the reflection over the other eleven);
     * otherwise all of them, as the top level's help and errors need.
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0])) {
            // Nothing of the module runner's is used above a subcommand named first: a bare parent names it.
            return withSubcommands(new CommandLine(new SubcommandParent()), List.of(args[0]));
        }
        return commandLine();
    }

    private static CommandLine withSubcommands(CommandLine commandLine, Collection<String> names) {
        for (String name : names) {
            commandLine.addSubcommand(name, SUBCOMMANDS.get(name).get());
        }
        commandLine.setExecutionExceptionHandler(Main::handleExecutionException);
        return commandLine;
    }

    /**
     * The parent of a subcommand named first on the line: only its name shows (in the subcommand's usage), and
     * picocli builds no model of the module runner's two dozen options for a {@code ps} or a {@code run -d}.
     */
    @CommandLine.Command(name = "wasm-bpf")
    static final class SubcommandParent {}

    /** The plain `wasm-bpf [options] MODULE [args]` command, without subcommands; `run` delegates to it. */
    static CommandLine moduleRunner() {
        CommandLine commandLine = new CommandLine(new WasmBpfCommand());
        // Options after the module belong to the guest: `wasm-bpf bootstrap.wasm -h` shows the guest's help.
        // Set before subcommands are added: picocli applies it to the commands present at the call, and the
        // toolchain's subcommands take options after their positionals.
        commandLine.setStopAtPositional(true);
        commandLine.setExecutionExceptionHandler(Main::handleExecutionException);
        return commandLine;
    }

    private static int handleExecutionException(
            Exception exception, CommandLine cmd, CommandLine.ParseResult parseResult) {
        boolean verbose = parseResult.hasMatchedOption("--verbose");
        return ToolMain.describeExpected(exception)
                .map(message -> new Diagnostics(verbose).fail(message, exception, 1))
                .orElseGet(() -> new Diagnostics(verbose).fail("internal error: " + exception, exception, 70));
    }
}
