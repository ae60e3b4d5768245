package dev.wasmbpf.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wasm-bpf ps [-a]}: the daemon's modules as a table, like {@code docker ps}. */
@Command(
        name = "ps",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Lists the modules the daemon runs (with -a, also those that ended).")
final class PsCommand extends DaemonCommand {
    @Option(
            names = {"-a", "--all"},
            description = "Show ended modules too.")
    boolean all;

    @Override
    int run(DaemonClient daemon) throws IOException, Refused {
        Object modules =
                check(daemon.get("/v1/modules" + (all ? "?all=true" : ""))).json();
        if (!(modules instanceof List<?> list)) {
            throw new ClientJson.BadAnswer("the daemon's answer to GET /v1/modules is not a JSON array", null);
        }
        print(System.out, list, Instant.now());
        return 0;
    }

    static void print(PrintStream out, List<?> modules, Instant now) {
        String format = "%-12s  %-20s  %-28s  %-12s  %-8s  %9s  %8s%n";
        out.printf(format, "ID", "NAME", "SOURCE", "STATE", "UPTIME", "SAMPLES", "CPU");
        for (Object element : modules) {
            Map<String, Object> module = ClientJson.object(element, "a module");
            Instant created = Instant.parse(ClientJson.string(module, "created"));
            Instant until = module.get("ended") instanceof String ended ? Instant.parse(ended) : now;
            String state = ClientJson.string(module, "state");
            if (state.equals("exited") && module.get("exitCode") instanceof Number exitCode) {
                state = "exited(" + exitCode.intValue() + ")";
            }
            out.printf(
                    format,
                    ClientJson.string(module, "id"),
                    cut(ClientJson.string(module, "name"), 20),
                    cut(ClientJson.string(module, "source"), 28),
                    state,
                    human(Duration.between(created, until)),
                    ClientJson.number(module, "samplesDelivered").longValue(),
                    String.format(
                            "%.2fs", ClientJson.number(module, "cpuSeconds").doubleValue()));
        }
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
        }
        return seconds / 86400 + "d" + seconds % 86400 / 3600 + "h";
    }
}
