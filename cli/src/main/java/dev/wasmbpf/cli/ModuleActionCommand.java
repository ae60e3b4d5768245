package dev.wasmbpf.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that do one thing to each named module and print its name, as Docker's do: {@code stop}, {@code rm},
 * {@code pause}, {@code unpause}. Every module is tried; the status is 1 when any was refused.
 */
abstract class ModuleActionCommand extends DaemonCommand {
    @Parameters(arity = "1..*", paramLabel = "ID|NAME")
    List<String> modules = new ArrayList<>();

    abstract DaemonClient.Reply act(DaemonClient daemon, String segment) throws IOException;

    /** {@code POST /v1/modules/ID/ACTION} with no body: pause, resume, stop. */
    static DaemonClient.Reply post(DaemonClient daemon, String segment, String action) throws IOException {
        return daemon.send("POST", "/v1/modules/" + segment + "/" + action, null, new byte[0]);
    }

    @Override
    final int run(DaemonClient daemon) throws IOException {
        int status = 0;
        for (String module : modules) {
            try {
                check(act(daemon, segment(module)));
                System.out.println(module);
            } catch (Refused e) {
                System.err.println("wasm-bpf: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description =
                    "Stops modules: terminates each, forces it after the grace period, waits until its kernel objects are released.")
    static final class Stop extends ModuleActionCommand {
        @Option(
                names = {"-t", "--time"},
                paramLabel = "SECONDS",
                description = "Grace period before forcing (default: 5).")
        Integer time;

        @Override
        DaemonClient.Reply act(DaemonClient daemon, String segment) throws IOException {
            return post(daemon, segment, "stop" + (time == null ? "" : "?time=" + time));
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Removes ended modules (with -f, stops running ones first).")
    static final class Remove extends ModuleActionCommand {
        @Option(
                names = {"-f", "--force"},
                description = "Stop a running module, then remove it.")
        boolean force;

        @Override
        DaemonClient.Reply act(DaemonClient daemon, String segment) throws IOException {
            return daemon.send("DELETE", "/v1/modules/" + segment + (force ? "?force=true" : ""), null, new byte[0]);
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Pauses modules at their next host call; kernel events wait in their buffers meanwhile.")
    static final class Pause extends ModuleActionCommand {
        @Override
        DaemonClient.Reply act(DaemonClient daemon, String segment) throws IOException {
            return post(daemon, segment, "pause");
        }
    }

    @Command(
            name = "unpause",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Lets paused modules go on.")
    static final class Unpause extends ModuleActionCommand {
        @Override
        DaemonClient.Reply act(DaemonClient daemon, String segment) throws IOException {
            return post(daemon, segment, "resume");
        }
    }
}
