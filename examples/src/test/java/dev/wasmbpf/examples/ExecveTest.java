package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.testkit.MarkerProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecveTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void reportsAnExecWithPidParentResultAndArguments() throws Exception {
        try (ExampleRun run = ExampleRun.start("execve")) {
            run.awaitLine(line -> line.startsWith("PCOMM "), "header");
            MarkerProgram marker = MarkerProgram.create("exmark");
            String tag = marker.name();
            long pid = marker.run("alpha-" + tag, "beta-" + tag, "gamma");

            String line = run.awaitLine(line2 -> line2.startsWith(tag + " "), "exec of " + tag);
            String[] f = line.trim().split("\\s+");
            assertEquals(
                    List.of(
                            tag,
                            Long.toString(pid),
                            Long.toString(SELF),
                            "0",
                            marker.path().toString(),
                            "alpha-" + tag,
                            "beta-" + tag,
                            "gamma"),
                    List.of(f),
                    line);
            marker.delete();
        }
    }

    @Test
    void failedExecsOnlyWithDashXAndArgumentsCutAtMaxArgs() throws Exception {
        try (ExampleRun run = ExampleRun.start("execve", "-x", "-a", "2", "-l", "wasmbpf-")) {
            run.awaitLine(line -> line.startsWith("PCOMM "), "header");
            Path missing =
                    Files.createTempDirectory("wasmbpf-").resolve("absent" + Long.toHexString(System.nanoTime()));
            assertThrows(IOException.class, () -> new ProcessBuilder(missing.toString(), "one").start());
            String failed = run.awaitLine(line -> line.contains(missing.toString()), "failed exec of " + missing);
            String[] f = failed.trim().split("\\s+");
            // The failing exec happens in the JVM's forked child, before any new program runs.
            assertEquals("-2", f[3], "ENOENT: " + failed);
            assertEquals(Long.toString(SELF), f[2], "parent: " + failed);
            assertEquals(List.of(missing.toString(), "one"), List.of(f).subList(4, f.length), failed);

            MarkerProgram marker = MarkerProgram.create("excut");
            long pid = marker.run("first", "second", "third");
            String cut = run.awaitLine(line -> line.startsWith(marker.name() + " "), "exec of " + marker.name());
            String[] g = cut.trim().split("\\s+");
            assertEquals(Long.toString(pid), g[1], cut);
            // -a 2: the filename and one argument, then "..." for the rest.
            assertEquals(
                    List.of(marker.path().toString(), "first", "..."),
                    List.of(g).subList(4, g.length),
                    cut);
            marker.delete();
            Files.delete(missing.getParent());
        }
    }

    @Test
    void quotesArgumentsWithDashQAndShowsTimeWithDashT() throws Exception {
        try (ExampleRun run = ExampleRun.start("execve", "-q", "-T")) {
            run.awaitLine(line -> line.startsWith("TIME     PCOMM "), "header with TIME");
            MarkerProgram marker = MarkerProgram.create("exquot");
            marker.run("two words", "say \"hi\"");

            String line = run.awaitLine(l -> l.contains(" " + marker.name() + " "), "exec of " + marker.name());
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d .*"), "time first: " + line);
            assertTrue(line.endsWith(" \"" + marker.path() + "\" \"two words\" \"say \\\"hi\\\"\""), line);
            marker.delete();
        }
    }

    @Test
    void nameFilterHidesOtherCommands() throws Exception {
        MarkerProgram shown = MarkerProgram.create("exshow");
        MarkerProgram hidden = MarkerProgram.create("exhide");
        try (ExampleRun run = ExampleRun.start("execve", "-n", shown.name())) {
            run.awaitLine(line -> line.startsWith("PCOMM "), "header");
            hidden.run("x");
            shown.run("y");
            run.awaitLine(line -> line.startsWith(shown.name() + " "), "exec of " + shown.name());
            // Events arrive in order through the one ring buffer: the hidden one came first.
            assertTrue(
                    run.out().lines().stream().noneMatch(line -> line.contains(hidden.name())),
                    run.out().text());
        }
        shown.delete();
        hidden.delete();
    }
}
