package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about one process: CPU time (all threads) and peak resident set. */
record ProcStats(long cpuTicks, long peakRssKiB) {

    /** utime + stime of the whole thread group, and VmHWM; zeros once the process is gone. */
    static ProcStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // comm may contain spaces and parentheses: fields are counted after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new ProcStats(ticks, hwm);
        } catch (IOException | RuntimeException e) {
            return new ProcStats(0, 0);
        }
    }
}
