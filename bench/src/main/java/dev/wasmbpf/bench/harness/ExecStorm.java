package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs bench's exec_storm: {@code count} execs of the static target at {@code rate}/s (0: flat out). */
record ExecStorm(Path spawner, Path target) {

    record Result(long execs, double seconds) {
        double execsPerSecond() {
            return execs / seconds;
        }
    }

    Result run(long count, int rate) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        List.of(spawner.toString(), target.toString(), Long.toString(count), Integer.toString(rate)))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int status = process.waitFor();
        // "execs N failed F seconds S"
        String[] fields = output.split("\\s+");
        if (status != 0 || fields.length != 6 || !fields[0].equals("execs")) {
            throw new IllegalStateException("exec_storm failed (" + status + "): " + output);
        }
        return new Result(Long.parseLong(fields[1]), Double.parseDouble(fields[5]));
    }
}
