package dev.wasmbpf.bench.startup;

import com.dylibso.chicory.wasm.Parser;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Chicory's parse of one module, cold (the first parse in this JVM: its CPU on the parsing thread) and warm (median of
 * 30 after 200), to compare module builds, e.g. with and without DWARF (issue 14, item 2; docs/benchmarks.md "Module
 * size"). Run each module in its own fresh JVM, alternating:
 * {@code java -XX:TieredStopAtLevel=1 -cp bench/target/benchmarks.jar dev.wasmbpf.bench.startup.ParseTime X.wasm}.
 */
public final class ParseTime {
    private ParseTime() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ParseTime MODULE.wasm");
            System.exit(2);
        }
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        Parser.parse(bytes);
        long coldCpu = threads.getCurrentThreadCpuTime() - cpu0;
        for (int i = 0; i < 200; i++) {
            Parser.parse(bytes);
        }
        long[] warm = new long[30];
        for (int i = 0; i < warm.length; i++) {
            long start = System.nanoTime();
            Parser.parse(bytes);
            warm[i] = System.nanoTime() - start;
        }
        Arrays.sort(warm);
        System.out.printf(
                "%s %d bytes: first parse %.1f ms CPU, warm median %.2f ms%n",
                Path.of(args[0]).getFileName(), bytes.length, coldCpu / 1e6, warm[warm.length / 2] / 1e6);
    }
}
