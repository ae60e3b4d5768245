package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The machine the numbers were taken on. */
record Machine(int cpus, String kernel, String cpuModel, String jdk, String date, String loadAverage) {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux build that matters. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    static Machine describe() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                read("/proc/sys/kernel/osrelease"),
                readCpuModel(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.version"),
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                read("/proc/loadavg"));
    }

    String summary() {
        return "%d vCPU, %s, Linux %s, JDK %s, %s, loadavg %s"
                .formatted(cpus, cpuModel, kernel, jdk, date, loadAverage);
    }

    private static String readCpuModel() {
        return read("/proc/cpuinfo")
                .lines()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()
                .orElse("unknown CPU");
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
