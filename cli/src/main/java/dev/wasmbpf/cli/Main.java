package dev.wasmbpf.cli;

import dev.wasmbpf.bpf.HeldKernelObjects;
import dev.wasmbpf.toolchain.BtfCommand;
import dev.wasmbpf.toolchain.GenCommand;
import dev.wasmbpf.toolchain.ToolMain;
import picocli.CommandLine;

/** Entry point of the {@code wasm-bpf} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("daemon")) {
            // The node agent parses its own options: no picocli on its start-up path.
            System.exit(dev.wasmbpf.daemon.Daemon.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        int status = PlainModuleLaunch.appliesTo(args)
                ? PlainModuleLaunch.run(args)
                : commandLine().execute(args);
        // Every release has happened here, and the fds still exist: the tests' leak check reads this report.
        HeldKernelObjects.reportIfRequested();
        System.exit(status);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = moduleRunner();
        commandLine.addSubcommand(new BtfCommand());
        commandLine.addSubcommand(new GenCommand());
        // Subcommand names win over module names: a module file called "run" runs as ./run.
        commandLine.addSubcommand(new PushCommand());
        commandLine.addSubcommand(new PullCommand());
        commandLine.addSubcommand("run", RunCommand.commandLine());
        commandLine.addSubcommand(new InspectCommand());
        // The node agent's client commands, in Docker's words.
        commandLine.addSubcommand(new PsCommand());
        commandLine.addSubcommand(new LogsCommand());
        commandLine.addSubcommand(new ModuleActionCommand.Stop());
        commandLine.addSubcommand(new ModuleActionCommand.Remove());
        commandLine.addSubcommand(new ModuleActionCommand.Pause());
        commandLine.addSubcommand(new ModuleActionCommand.Unpause());
        commandLine.setExecutionExceptionHandler(Main::handleExecutionException);
        return commandLine;
    }

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
