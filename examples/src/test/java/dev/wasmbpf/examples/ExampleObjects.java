package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The BPF objects the examples' Makefiles built (every example's {@code *.bpf.o}), sorted. */
final class ExampleObjects {
    private ExampleObjects() {}

    static List<Path> built() throws IOException {
        Path build = Path.of(System.getProperty("wasmbpf.examples.build", "target/examples-build"));
        List<Path> objects;
        try (Stream<Path> files = Files.walk(build, 2)) {
            objects = files.filter(p -> p.getFileName().toString().endsWith(".bpf.o"))
                    .sorted()
                    .toList();
        }
        assertFalse(objects.isEmpty(), "no example objects under " + build);
        return objects;
    }
}
