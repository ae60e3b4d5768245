package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Side-by-side benchmark of the bootstrap example: Debian-libbpf native consumer ("native") against
 * {@code ./wasm-bpf bootstrap} ("ours"), alternately (native, ours, native, ours, …), on the same
 * bootstrap.bpf.o, under a paced and a flat-out exec storm; then map-lookup host-call cost. Writes the
 * results between the harness markers of docs/benchmarks.md. Run it through {@code bench/run}.
 *
 * <pre>
 *   bench/run [--rounds 5] [--warm-up-count 3000] [--paced-rate 800] [--paced-count 3200] [--max-count 6000]
 *             [--ours-opts "JVM flags"] [--ours-env KEY=VALUE]... [--no-doc]
 * </pre>
 */
public final class Harness {
    static final String TARGET_COMM = "xstorm";
    private static final Duration SETTLE = Duration.ofMillis(1000);

    private final Options options;
    private final Path repo;
    private final Path nativeDir;
    private final ExecStorm storm;

    private Harness(Options options) {
        this.options = options;
        this.repo = options.repo.toAbsolutePath().normalize();
        this.nativeDir = repo.resolve("bench/target/native");
        this.storm = new ExecStorm(nativeDir.resolve("exec_storm"), nativeDir.resolve(TARGET_COMM));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        new Harness(options).run();
    }

    private void run() throws Exception {
        BpfObjectIdentity.verify(
                nativeDir.resolve("bootstrap.bpf.o"), repo.resolve("examples/target/examples-wasm/bootstrap.wasm"));
        Machine machine = Machine.describe();
        System.out.println(machine.summary());

        // Unmeasured first runs: fill the compiled-module and AOT caches, page in libbpf and the binaries.
        for (Side side : Side.values()) {
            try (ConsumerProcess consumer = start(side)) {
                consumer.awaitAttached(Duration.ofSeconds(120));
            }
        }

        Map<Side, List<ConsumerRun>> runs = new HashMap<>();
        for (int round = 1; round <= options.rounds; round++) {
            for (Side side : Side.values()) {
                ConsumerRun run = measure(side);
                runs.computeIfAbsent(side, s -> new ArrayList<>()).add(run);
                System.out.printf("round %d %-6s %s%n", round, side.label, run);
            }
        }

        Map<Side, List<Double>> hostCalls = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (Side side : Side.values()) {
                List<Double> ns = HostCallBench.run(hostCallCommand(side), environment(), repo);
                hostCalls.computeIfAbsent(side, s -> new ArrayList<>()).addAll(ns);
                System.out.printf("host-call %-6s ns/lookup %s%n", side.label, ns);
            }
        }

        Report report = new Report(
                machine,
                options,
                runs.get(Side.OURS),
                runs.get(Side.NATIVE),
                Stats.of(hostCalls.get(Side.OURS)),
                Stats.of(hostCalls.get(Side.NATIVE)));
        String markdown = report.markdown();
        System.out.println(markdown);
        if (options.writeDoc) {
            report.writeInto(repo.resolve("docs/benchmarks.md"));
            System.out.println("written into docs/benchmarks.md");
        }
    }

    private ConsumerRun measure(Side side) throws Exception {
        try (ConsumerProcess consumer = start(side)) {
            double attachMs = consumer.awaitAttached(Duration.ofSeconds(120)).toNanos() / 1e6;
            Thread.sleep(SETTLE.toMillis());

            // The JVM compiles the guest's hot paths during its first few thousand events: measured
            // separately, so that the paced and flat-out figures are steady state for both sides.
            Phase warmUp = phase(consumer, options.warmUpCount, 0);
            Phase paced = phase(consumer, options.pacedCount, options.pacedRate);
            Phase max = phase(consumer, options.maxCount, 0);
            double rssMiB = consumer.stats().peakRssKiB() / 1024.0;
            double attachCpuMs = consumer.attachCpuTicks() * 1000.0 / Machine.CLOCK_TICKS_PER_SECOND;
            return new ConsumerRun(
                    attachMs,
                    attachCpuMs,
                    warmUp.cpuUsPerEvent(),
                    paced.cpuUsPerEvent(),
                    paced.lost(),
                    max.storm.execsPerSecond(),
                    max.targetEvents / max.storm.seconds(),
                    max.cpuUsPerEvent(),
                    100.0 * max.cpuSeconds() / max.storm.seconds(),
                    max.lost(),
                    max.expected(),
                    rssMiB);
        }
    }

    /** One storm and the consumer's work for it, from before the storm until its events stopped arriving. */
    private Phase phase(ConsumerProcess consumer, long count, int rate) throws Exception {
        ProcStats before = consumer.stats();
        long events = consumer.events();
        long targetEvents = consumer.targetEvents();
        ExecStorm.Result result = storm.run(count, rate);
        consumer.awaitTargetEvents(targetEvents + 2 * result.execs(), Duration.ofSeconds(1), Duration.ofSeconds(20));
        ProcStats after = consumer.stats();
        return new Phase(
                result,
                after.cpuTicks() - before.cpuTicks(),
                consumer.events() - events,
                consumer.targetEvents() - targetEvents);
    }

    private record Phase(ExecStorm.Result storm, long cpuTicks, long events, long targetEvents) {
        double cpuSeconds() {
            return cpuTicks / (double) Machine.CLOCK_TICKS_PER_SECOND;
        }

        double cpuUsPerEvent() {
            return events == 0 ? Double.NaN : cpuSeconds() * 1e6 / events;
        }

        long expected() {
            return 2 * storm.execs();
        }

        long lost() {
            return Math.max(0, expected() - targetEvents);
        }
    }

    private ConsumerProcess start(Side side) throws IOException {
        List<String> command = switch (side) {
            case NATIVE ->
                List.of(
                        nativeDir.resolve("bootstrap_native").toString(),
                        nativeDir.resolve("bootstrap.bpf.o").toString());
            case OURS -> List.of(repo.resolve("wasm-bpf").toString(), "bootstrap");
        };
        return ConsumerProcess.start(command, environment(), repo, TARGET_COMM);
    }

    private List<String> hostCallCommand(Side side) {
        String n = Integer.toString(options.lookups);
        return switch (side) {
            case NATIVE ->
                List.of(
                        nativeDir.resolve("maplookup_native").toString(),
                        nativeDir.resolve("maplookup.bpf.o").toString(),
                        n,
                        "6");
            case OURS ->
                List.of(
                        repo.resolve("wasm-bpf").toString(),
                        nativeDir.resolve("maplookup_guest.wasm").toString(),
                        n,
                        "6");
        };
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        if (options.oursOpts != null) {
            env.put("WASM_BPF_JAVA_OPTS", options.oursOpts);
        }
        env.putAll(options.oursEnv);
        return env;
    }

    enum Side {
        NATIVE("native"),
        OURS("ours");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    static <T> Stats stats(List<T> runs, ToDoubleFunction<T> metric) {
        return Stats.of(runs.stream().map(metric::applyAsDouble).toList());
    }

    /** Command-line options; see the class comment. */
    static final class Options {
        Path repo = Path.of(".");
        int rounds = 5;
        int pacedRate = 800;
        long pacedCount = 3200;
        long maxCount = 6000;
        long warmUpCount = 3000;
        int lookups = 200_000;
        String oursOpts;
        /** Extra environment for the launcher, e.g. WASM_BPF_AOT=0 or WASM_BPF_JAR=… for an ablation. */
        Map<String, String> oursEnv = new java.util.LinkedHashMap<>();

        boolean writeDoc = true;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--repo" -> o.repo = Path.of(require(args[i], value));
                    case "--rounds" -> o.rounds = Integer.parseInt(require(args[i], value));
                    case "--paced-rate" -> o.pacedRate = Integer.parseInt(require(args[i], value));
                    case "--paced-count" -> o.pacedCount = Long.parseLong(require(args[i], value));
                    case "--max-count" -> o.maxCount = Long.parseLong(require(args[i], value));
                    case "--warm-up-count" -> o.warmUpCount = Long.parseLong(require(args[i], value));
                    case "--lookups" -> o.lookups = Integer.parseInt(require(args[i], value));
                    case "--ours-opts" -> o.oursOpts = require(args[i], value);
                    case "--ours-env" -> {
                        String pair = require(args[i], value);
                        int eq = pair.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--ours-env needs KEY=VALUE, got " + pair);
                        }
                        o.oursEnv.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    case "--no-doc" -> {
                        o.writeDoc = false;
                        continue;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (o.rounds < 1
                    || o.pacedRate < 1
                    || o.pacedCount < 1
                    || o.maxCount < 1
                    || o.warmUpCount < 1
                    || o.lookups < 1) {
                throw new IllegalArgumentException("counts and rates must be positive");
            }
            if (!Files.isDirectory(o.repo.resolve("bench"))) {
                throw new IllegalArgumentException(o.repo.toAbsolutePath() + " is not the repository root");
            }
            return o;
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
