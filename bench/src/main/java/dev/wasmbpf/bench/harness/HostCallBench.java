package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ns per map lookup: maplookup_native (libbpf's bpf_map_lookup_elem) and maplookup_guest.wasm
 * (wasm_bpf_map_operate through our runtime) on the same hash map object, same key, same loop.
 */
final class HostCallBench {
    private HostCallBench() {}

    /** Per-round ns/lookup after the first (warm-up) round. */
    static List<Double> run(List<String> command, Map<String, String> environment, Path directory)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " failed:\n" + output);
        }
        List<Double> rounds = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 4 && fields[0].equals("round") && !fields[1].equals("0")) {
                rounds.add(Double.parseDouble(fields[3]));
            }
        }
        if (rounds.isEmpty()) {
            throw new IllegalStateException(command + " printed no rounds:\n" + output);
        }
        return rounds;
    }
}
