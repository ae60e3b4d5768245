package dev.wasmbpf.runtime.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The fuzzers' seeds: runtime/src/test/resources/fuzz/seeds.txt, or -Dwasmbpf.reliability.fuzzSeeds=a,b,c. */
final class FuzzCorpus {
    private FuzzCorpus() {}

    static List<Long> seeds() {
        String override = System.getProperty("wasmbpf.reliability.fuzzSeeds");
        if (override != null && !override.isBlank()) {
            return Arrays.stream(override.split(","))
                    .map(String::trim)
                    .map(Long::parseLong)
                    .toList();
        }
        try (InputStream in = FuzzCorpus.class.getResourceAsStream("/fuzz/seeds.txt")) {
            if (in == null) {
                throw new IllegalStateException("fuzz/seeds.txt is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A size knob of the reliability suite: CI's value unless the long profile (or -D) says otherwise. */
    static long size(String name, long ciDefault) {
        return Long.getLong("wasmbpf.reliability." + name, ciDefault);
    }
}
