package dev.wasmbpf.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's bookkeeping, which the published numbers rest on. No timing is asserted. */
class HarnessPartsTest {
    @TempDir
    Path dir;

    @Test
    void medianAndRangeOfOddAndEvenCounts() {
        assertEquals(new Stats(3, 1, 9), Stats.of(List.of(9.0, 1.0, 3.0)));
        assertEquals(new Stats(2.5, 1, 4), Stats.of(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals("2.5 (1.0–4.0)", Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).format(1));
    }

    @Test
    void procStatsOfThisProcessSeesItsPeakResidentSet() {
        ProcStats stats = ProcStats.of(ProcessHandle.current().pid());
        assertTrue(stats.peakRssKiB() > 1024, "a JVM has more than 1 MiB resident: " + stats);
        assertEquals(new ProcStats(0, 0), ProcStats.of(Long.MAX_VALUE), "no such process");
    }

    @Test
    void bpfObjectMustSitVerbatimInsideTheWasm() throws IOException {
        Path object = Files.write(dir.resolve("x.bpf.o"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Path wasm = Files.write(dir.resolve("x.wasm"), new byte[] {0, 'a', 's', 'm', 0x7f, 'E', 'L', 'F', 1, 2, 3, 9});
        BpfObjectIdentity.verify(object, wasm);
        Path other = Files.write(dir.resolve("y.wasm"), new byte[] {0, 'a', 's', 'm', 0x7f, 'E', 'L', 'F', 1, 2, 4});
        assertThrows(IllegalStateException.class, () -> BpfObjectIdentity.verify(object, other));
    }

    @Test
    void reportReplacesOnlyItsOwnSectionOfTheDoc() throws IOException {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Title\nbefore\n" + Report.BEGIN + "\nold table\n" + Report.END + "\nafter\n");
        ConsumerRun run = new ConsumerRun(100, 50, 120, 90, 0, 1500, 3000, 95, 40, 0, 12000, 80);
        Report report = new Report(
                new Machine(2, "6.1", "cpu", "jdk", "date", "1.0"),
                Harness.Options.parse(new String[] {
                    "--repo", Path.of("").toAbsolutePath().getParent().toString()
                }),
                List.of(run),
                List.of(run),
                Stats.of(List.of(2.0)),
                Stats.of(List.of(1.0)));
        report.writeInto(doc);
        String text = Files.readString(doc);
        assertTrue(text.startsWith("# Title\nbefore\n" + Report.BEGIN + "\n"), text);
        assertTrue(text.endsWith(Report.END + "\nafter\n"), text);
        assertTrue(!text.contains("old table") && text.contains("| start → attached (ms) | 100 (100–100) |"), text);
    }

    @Test
    void badOptionsAreRejectedWithAMessage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Harness.Options.parse(new String[] {"--rounds"}));
        assertEquals("--rounds needs a value", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Harness.Options.parse(new String[] {"--bogus"}));
    }
}
