package dev.wasmbpf.cli;

import picocli.CommandLine;

/** Entry point of the {@code wasm-bpf} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new WasmBpfCommand());
        // Options after the module belong to the guest: `wasm-bpf bootstrap.wasm -h` shows the guest's help.
        commandLine.setStopAtPositional(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose");
            return new Diagnostics(verbose).fail("internal error: " + exception, exception, 70);
        });
        return commandLine;
    }
}
