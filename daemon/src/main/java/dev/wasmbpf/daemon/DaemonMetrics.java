package dev.wasmbpf.daemon;

import dev.wasmbpf.runtime.RunStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The daemon's Prometheus metrics, served at {@code GET /metrics} on the {@code --metrics} address. Everything is
 * read from the module table at scrape time (callback metrics), so the modules' hot paths do no metrics work and
 * no second copy of their state can drift. Through the official Java client (prometheus-metrics-core and its text
 * format writer) rather than hand-written text: it owns the exposition format's escaping, naming and type rules.
 */
final class DaemonMetrics {
    static final String PATH = "/metrics";
    /** The states a module can be in, each reported (0 or 1) so that a state a module left goes to 0. */
    static final List<String> STATES = List.of("starting", "running", "paused", "stopping", "restarting", "exited");

    private final ModuleTable modules;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    DaemonMetrics(ModuleTable modules, java.util.Optional<DeclaredModules> declared) {
        this.modules = modules;
        GaugeWithCallback.builder()
                .name("wasm_bpf_module_state")
                .help("1 for the state the module is in, 0 for the others")
                .labelNames("id", "name", "state")
                .callback(cb -> each((m, r) -> {
                    for (String state : STATES) {
                        cb.call(state.equals(r.state()) ? 1 : 0, m.id, m.name, state);
                    }
                }))
                .register(registry);
        gauge(
                "wasm_bpf_module_uptime_seconds",
                "Seconds since the module's current run started, until it ended",
                ManagedModule.Reading::uptimeSeconds);
        counter(
                "wasm_bpf_module_cpu_seconds",
                "CPU time of the module's guest thread",
                ManagedModule.Reading::cpuSeconds);
        counter("wasm_bpf_module_samples_delivered", "Ring/perf buffer samples delivered to the guest's callback", r ->
                (double) r.samplesDelivered());
        gauge("wasm_bpf_module_memory_bytes", "The guest's linear memory", r -> (double) r.memoryBytes());
        counter(
                "wasm_bpf_module_output_dropped_bytes",
                "Output bytes dropped from the module's log buffer because no reader kept up",
                r -> (double) r.droppedOutputBytes());
        GaugeWithCallback.builder()
                .name("wasm_bpf_module_kernel_objects")
                .help("Kernel BPF objects the module holds, by kind")
                .labelNames("id", "name", "kind")
                .callback(cb -> each((m, r) -> {
                    cb.call(r.programs(), m.id, m.name, "programs");
                    cb.call(r.maps(), m.id, m.name, "maps");
                    cb.call(r.links(), m.id, m.name, "links");
                }))
                .register(registry);
        CounterWithCallback.builder()
                .name("wasm_bpf_module_host_calls")
                .help("Host calls the guest made, by import module and function")
                .labelNames("id", "name", "module", "function")
                .callback(cb -> each((m, r) -> {
                    for (RunStats.HostCalls calls : r.hostCalls()) {
                        cb.call(calls.calls(), m.id, m.name, calls.module(), calls.function());
                    }
                }))
                .register(registry);
        CounterWithCallback.builder()
                .name("wasm_bpf_module_host_call_errors")
                .help("Host calls that returned a negative errno, by function and errno")
                .labelNames("id", "name", "module", "function", "errno")
                .callback(cb -> each((m, r) -> {
                    for (RunStats.HostCalls calls : r.hostCalls()) {
                        calls.errors()
                                .forEach((errno, count) -> cb.call(
                                        count,
                                        m.id,
                                        m.name,
                                        calls.module(),
                                        calls.function(),
                                        Integer.toString(errno)));
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("wasm_bpf_daemon_modules")
                .help("Modules the daemon holds, by state")
                .labelNames("state")
                .callback(cb -> {
                    Map<String, Integer> byState = new TreeMap<>();
                    STATES.forEach(state -> byState.put(state, 0));
                    for (ManagedModule module : modules.all()) {
                        byState.merge(module.reading().state(), 1, Integer::sum);
                    }
                    byState.forEach((state, count) -> cb.call(count, state));
                })
                .register(registry);
        counter("wasm_bpf_module_restarts", "Times the module's restart policy started it again", r ->
                (double) r.restarts());
        declared.ifPresent(directory -> {
            GaugeWithCallback.builder()
                    .name("wasm_bpf_daemon_declared_broken_files")
                    .help("Files in --modules-dir that cannot be used as they are now")
                    .callback(cb -> cb.call(directory.brokenFiles()))
                    .register(registry);
            CounterWithCallback.builder()
                    .name("wasm_bpf_daemon_declared_errors")
                    .help("Errors reported for files in --modules-dir, once per content")
                    .callback(cb -> cb.call(directory.errors()))
                    .register(registry);
        });
        GaugeWithCallback.builder()
                .name("wasm_bpf_daemon_resident_memory_bytes")
                .help("The daemon process's resident set (VmRSS)")
                .callback(cb -> residentBytes().ifPresent(bytes -> cb.call(bytes)))
                .register(registry);
    }

    /** Adds {@code GET /metrics} to {@code routes}. */
    void register(RouteTable routes) {
        routes.add("GET", PATH, e -> e.send(200, PrometheusTextFormatWriter.CONTENT_TYPE, scrape()));
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private interface PerModule {
        void accept(ManagedModule module, ManagedModule.Reading reading);
    }

    private void each(PerModule action) {
        for (ManagedModule module : modules.all()) {
            action.accept(module, module.reading());
        }
    }

    private void gauge(String name, String help, Function<ManagedModule.Reading, Double> value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("id", "name")
                .callback(cb -> each((m, r) -> cb.call(value.apply(r), m.id, m.name)))
                .register(registry);
    }

    private void counter(String name, String help, Function<ManagedModule.Reading, Double> value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("id", "name")
                .callback(cb -> each((m, r) -> cb.call(value.apply(r), m.id, m.name)))
                .register(registry);
    }

    private static java.util.OptionalDouble residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kib =
                            line.substring("VmRSS:".length()).replace("kB", "").strip();
                    return java.util.OptionalDouble.of(Long.parseLong(kib) * 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Without /proc the gauge is left out of the scrape.
        }
        return java.util.OptionalDouble.empty();
    }
}
