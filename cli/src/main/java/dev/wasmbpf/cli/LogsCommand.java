package dev.wasmbpf.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasm-bpf logs [-f] ID|NAME}: a module's output kept by the daemon, or followed until the module ends. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Prints a module's recent output (stdout and stderr, the last 256 KiB the daemon keeps).",
            "With -f, keeps printing until the module ends; output the daemon had to drop is said in a line."
        })
final class LogsCommand extends DaemonCommand {
    @Option(
            names = {"-f", "--follow"},
            description = "Follow the output until the module ends (Ctrl-C leaves it running).")
    boolean follow;

    @Parameters(index = "0", paramLabel = "ID|NAME")
    String module;

    @Override
    int run(DaemonClient daemon) throws IOException, Refused {
        String path = "/v1/modules/" + segment(module) + "/logs" + (follow ? "?follow=true" : "");
        if (follow) {
            int status;
            try {
                // Unbuffered, and a gone reader ends the follow (`logs -f X | head`), as SIGPIPE would.
                status = daemon.stream(path, ProcessOutput.stdout(() -> {}));
            } catch (ProcessOutput.ReaderGone e) {
                return ProcessOutput.EXIT_READER_GONE;
            }
            if (status != 200) {
                // The stream was not started: read the error again to show it.
                check(daemon.get(path.replace("?follow=true", "")));
            }
            return 0;
        }
        System.out.print(check(daemon.get(path)).text());
        System.out.flush();
        return 0;
    }
}
