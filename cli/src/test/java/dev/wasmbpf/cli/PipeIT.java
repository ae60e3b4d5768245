package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code wasm-bpf bootstrap | head -n 2}, as a shell runs it: when head has its lines and goes, the CLI's next
 * write finds the pipe without a reader and the run ends as SIGPIPE ends native bootstrap (status 141, every kernel
 * object released), instead of tracing on unread until it is killed. Seen failing before: the pipeline ran until
 * the test's bound.
 */
class PipeIT {
    @Test
    void aPipeWhoseReaderWentAwayEndsTheRunAndReleasesEverything() throws Exception {
        KernelTestSupport.requireKernel();
        ProcessBuilder cli = CliProcess.command("bootstrap");
        Path accounting = CliProcess.withAccounting(cli);
        List<String> lines = CliProcess.pipedIntoHead(2, cli).lines().toList();
        assertEquals(3, lines.size(), "head's two lines and the status: " + lines);
        assertTrue(lines.get(0).startsWith("TIME"), "bootstrap's header first: " + lines);
        assertEquals("STATUS " + ProcessOutput.EXIT_READER_GONE, lines.get(2), "exit status of the CLI: " + lines);
        KernelTestSupport.assertReportedNothingHeld(accounting, "the CLI after its reader went away");
    }

    /**
     * Started with SIGPIPE ignored ({@code trap '' PIPE}, as systemd starts services), native bootstrap gets EPIPE
     * and goes on; through the launcher, so does the CLI: the run outlives head and ends by its own time-out (124),
     * not with 141.
     */
    @Test
    void aCallerThatIgnoresSigpipeKeepsTheRunGoingAsNativeToolsDo() throws Exception {
        KernelTestSupport.requireKernel();
        ProcessBuilder cli = CliProcess.launcher("--timeout", "3s", "bootstrap");
        List<String> lines =
                CliProcess.pipedIntoHead("trap '' PIPE; ", 1, cli).lines().toList();
        assertEquals(2, lines.size(), "head's line and the status: " + lines);
        assertEquals("STATUS 124", lines.get(1), "the run ended by its time-out: " + lines);
    }
}
