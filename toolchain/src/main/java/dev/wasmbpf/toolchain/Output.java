package dev.wasmbpf.toolchain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where generated text goes: a file given with -o, else stdout. */
final class Output {
    private Output() {}

    static void write(Path file, String text) throws IOException {
        if (file != null) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } else {
            PrintStream out = System.out;
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
