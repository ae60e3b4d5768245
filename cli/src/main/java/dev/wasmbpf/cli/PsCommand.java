package dev.wasmbpf.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

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
        JsonNode modules =
                check(daemon.get("/v1/modules" + (all ? "?all=true" : ""))).json();
        print(System.out, modules, Instant.now());
        return 0;
    }

    static void print(PrintStream out, JsonNode modules, Instant now) {
        String format = "%-12s  %-20s  %-28s  %-12s  %-8s  %9s  %8s%n";
        out.printf(format, "ID", "NAME", "SOURCE", "STATE", "UPTIME", "SAMPLES", "CPU");
        for (JsonNode module : modules) {
            Instant created = Instant.parse(module.get("created").asString());
            JsonNode ended = module.get("ended");
            Instant until = ended == null || ended.isNull() ? now : Instant.parse(ended.asString());
            String state = module.get("state").asString();
            if (state.equals("exited") && module.hasNonNull("exitCode")) {
                state = "exited(" + module.get("exitCode").asInt() + ")";
            }
            out.printf(
                    format,
                    module.get("id").asString(),
                    cut(module.get("name").asString(), 20),
                    cut(module.get("source").asString(), 28),
                    state,
                    human(Duration.between(created, until)),
                    module.get("samplesDelivered").asLong(),
                    String.format("%.2fs", module.get("cpuSeconds").asDouble()));
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
