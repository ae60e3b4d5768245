package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The results as markdown, and their place in docs/benchmarks.md (between the harness markers). */
final class Report {
    static final String BEGIN = "<!-- BEGIN harness output (bench/run rewrites this part) -->";
    static final String END = "<!-- END harness output -->";

    private final Machine machine;
    private final Harness.Options options;
    private final List<ConsumerRun> ours;
    private final List<ConsumerRun> base;
    private final Stats oursLookup;
    private final Stats baseLookup;
    private final StringBuilder out = new StringBuilder();

    Report(
            Machine machine,
            Harness.Options options,
            List<ConsumerRun> ours,
            List<ConsumerRun> base,
            Stats oursLookup,
            Stats baseLookup) {
        this.machine = machine;
        this.options = options;
        this.ours = ours;
        this.base = base;
        this.oursLookup = oursLookup;
        this.baseLookup = baseLookup;
    }

    String markdown() {
        out.setLength(0);
        line("Measured " + machine.date() + " on " + machine.cpus() + " vCPU (" + machine.cpuModel() + "), Linux "
                + machine.kernel() + ", JDK " + machine.jdk() + "; load average at start: " + machine.loadAverage()
                + ". " + options.rounds + " rounds, native and ours alternately; median (min–max) over the rounds."
                + (options.oursOpts == null ? "" : " Extra JVM flags for ours: `" + options.oursOpts + "`.")
                + (options.oursEnv.isEmpty() ? "" : " Launcher environment for ours: `" + options.oursEnv + "`."));
        line("");
        line(
                "| Metric | ours (JVM) | native (libbpf C) | ours / native | target | met? | upstream C++ (issue's figures) |");
        line("|---|---|---|---|---|---|---|");
        ratioRow("start → attached (ms)", ConsumerRun::attachMs, 0, 1.2, "90 / 58 native");
        ratioRow("CPU used until attached (ms, all threads)", ConsumerRun::attachCpuMs, 0, 1.2, "—");
        ratioRow(
                "CPU per delivered event, first " + options.warmUpCount + " execs flat-out (µs, JIT warm-up)",
                ConsumerRun::warmUpCpuUsPerEvent,
                1,
                1.5,
                "—");
        ratioRow(
                "CPU per delivered event at " + options.pacedRate + " exec/s (µs)",
                ConsumerRun::pacedCpuUsPerEvent,
                1,
                1.5,
                "486 / 35 native");
        ratioRow("CPU per delivered event, flat-out storm (µs)", ConsumerRun::maxCpuUsPerEvent, 1, 1.5, "—");
        plainRow("storm rate reached, flat-out (exec/s)", ConsumerRun::maxExecsPerSecond, 0, "≈1,750 possible", "—");
        plainRow(
                "storm events delivered, flat-out (events/s)",
                ConsumerRun::maxEventsPerSecond,
                0,
                "—",
                "~1,650/s / >2,900/s native");
        plainRow("consumer CPU during flat-out storm (% of one vCPU)", ConsumerRun::maxCpuPercent, 0, "—", "saturated");
        lostRow("events lost, paced", ConsumerRun::pacedLost);
        lostRow("events lost, flat-out (of " + expectedMax() + ")", ConsumerRun::maxLost);
        Stats rssOurs = Harness.stats(ours, ConsumerRun::peakRssMiB);
        Stats rssBase = Harness.stats(base, ConsumerRun::peakRssMiB);
        row(
                "peak RSS, VmHWM (MiB)",
                rssOurs.format(1),
                rssBase.format(1),
                ratio(rssOurs, rssBase),
                "≤ 48 MiB (2× C++)",
                met(rssOurs.median() <= 48),
                "24 / 13 native");
        row(
                "map lookup host call (ns/lookup)",
                oursLookup.format(0),
                baseLookup.format(0),
                ratio(oursLookup, baseLookup),
                "≤ 2×",
                met(oursLookup.median() <= 2 * baseLookup.median()),
                "—");
        line("");
        line("Events: one EXEC or EXIT line (one ring-buffer sample). Lost: 2 × execs the storm did minus the"
                + " storm target's EXEC+EXIT lines printed. Each consumer first gets a warm-up storm of "
                + options.warmUpCount + " execs flat-out (reported on its own row). Paced storm: " + options.pacedCount
                + " execs at "
                + options.pacedRate + "/s; flat-out: " + options.maxCount + " execs as fast as one vfork loop goes."
                + " Host call: " + options.lookups + " lookups per round, rounds after the first.");
        return out.toString();
    }

    void writeInto(Path doc) throws IOException {
        String section = BEGIN + "\n" + markdown() + END;
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            text = text + "\n" + section + "\n";
        } else {
            text = text.substring(0, begin) + section + text.substring(end + END.length());
        }
        Files.writeString(doc, text);
    }

    private long expectedMax() {
        return ours.isEmpty() ? 0 : ours.getFirst().maxExpected();
    }

    private void ratioRow(
            String name, ToDoubleFunction<ConsumerRun> metric, int decimals, double target, String upstream) {
        Stats o = Harness.stats(ours, metric);
        Stats b = Harness.stats(base, metric);
        double r = o.median() / b.median();
        row(name, o.format(decimals), b.format(decimals), ratio(o, b), "≤ " + target + "×", met(r <= target), upstream);
    }

    private void plainRow(
            String name, ToDoubleFunction<ConsumerRun> metric, int decimals, String target, String upstream) {
        row(
                name,
                Harness.stats(ours, metric).format(decimals),
                Harness.stats(base, metric).format(decimals),
                ratio(Harness.stats(ours, metric), Harness.stats(base, metric)),
                target,
                "—",
                upstream);
    }

    private void lostRow(String name, ToDoubleFunction<ConsumerRun> metric) {
        Stats o = Harness.stats(ours, metric);
        Stats b = Harness.stats(base, metric);
        row(name, o.format(0), b.format(0), "—", "0 (every round)", met(o.max() == 0), "2–30 % / 0 native");
    }

    private static String ratio(Stats o, Stats b) {
        return String.format(Locale.ROOT, "%.2f×", o.median() / b.median());
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    private void row(String... cells) {
        line("| " + String.join(" | ", cells) + " |");
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
