package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The launcher starts the daemon's client commands from their own AOT cache by name (its {@code client_command}),
 * a second list of what {@link Main#SUBCOMMANDS} holds: this keeps the two from drifting. Every subcommand that is
 * a pure daemon client ({@link DaemonCommand}) is in the launcher's list and nothing else is; {@code run} is there
 * for {@code -d} only, {@code inspect} is not (it inspects local files too).
 */
class LauncherClientCommandsTest {
    @Test
    void theLaunchersClientCommandsAreTheDaemonClientSubcommands() throws Exception {
        String launcher = Files.readString(Path.of("..", "wasm-bpf"));
        Matcher names = Pattern.compile("\\n\\s+([a-z|]+)\\) return 0 ;;").matcher(launcher);
        assertTrue(names.find(), "no client command list in the launcher");
        Set<String> launcherList = new TreeSet<>(Arrays.asList(names.group(1).split("\\|")));
        Set<String> daemonClients = Main.SUBCOMMANDS.entrySet().stream()
                .filter(entry -> entry.getValue().get() instanceof DaemonCommand)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(daemonClients, launcherList);
        assertTrue(launcher.contains("run) case \"${2:-}\" in -d|--detach) return 0 ;; esac ;;"), "run -d");
    }
}
