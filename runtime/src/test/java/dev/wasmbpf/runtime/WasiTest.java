package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WASI preview1 as the spec lists it: argv, env, preopens, character-device stdio, clocks. */
class WasiTest {
    @TempDir
    Path data;

    @Test
    void argsEnvPreopensAndStdioBehaveAsSpecified() throws Exception {
        Files.writeString(data.resolve("hello.txt"), "hello from the host\nsecond line\n");
        RunConfig.Builder config = RunConfig.builder()
                .args("-h", "--flag", "value with spaces")
                .env("GREETING", "hi")
                .preopen(data, "/data");
        try (GuestHarness harness = GuestHarness.start("wasi_basics", config)) {
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            List<String> lines = harness.out().lines();
            String text = String.join("\n", lines);
            assertTrue(lines.contains("ARGC 4"), text);
            assertTrue(
                    lines.get(lines.indexOf("ARGC 4") + 1).startsWith("ARG 0 ")
                            && lines.get(lines.indexOf("ARGC 4") + 1).endsWith("wasi_basics.wasm"),
                    text);
            assertTrue(lines.contains("ARG 1 -h"), text);
            assertTrue(lines.contains("ARG 3 value with spaces"), text);
            assertTrue(lines.contains("ENV GREETING=hi"), text);
            assertEquals(1, lines.stream().filter(l -> l.startsWith("ENV ")).count(), "only --env variables: " + text);
            // 2 is __WASI_FILETYPE_CHARACTER_DEVICE: wasi-libc line-buffers such a stdout.
            assertTrue(lines.contains("STDOUT_FILETYPE 2"), text);
            assertTrue(lines.contains("STDOUT_RIGHTS_SEEK 0"), text);
            assertTrue(lines.contains("CLOCK_OK"), text);
            assertTrue(lines.contains("RANDOM_OK"), text);
            assertTrue(lines.contains("FILE hello from the host"), text);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("ADDR0 ")), text);
        }
    }

    @Test
    void withoutPreopensTheGuestSeesNoHostFiles() throws Exception {
        try (GuestHarness harness = GuestHarness.start("wasi_basics")) {
            assertEquals(
                    new RunResult.Exited(0),
                    harness.awaitResult(),
                    harness.err().text());
            assertTrue(
                    harness.out().lines().stream().noneMatch(l -> l.startsWith("FILE ")),
                    harness.out().text());
            assertTrue(harness.out().lines().contains("ARGC 1"), harness.out().text());
        }
    }

    @Test
    void eachLineReachesTheCallersStreamInOneWrite() throws Exception {
        List<String> writes = new ArrayList<>();
        OutputStream recorder = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(String.valueOf((char) b));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(new String(b, off, len, StandardCharsets.UTF_8));
            }
        };
        RunConfig config = RunConfig.builder()
                .args("-h")
                .stdout(recorder)
                .stderr(new ByteArrayOutputStream())
                .build();
        RunResult result = WasmBpfRuntime.run(WasmBpfModule.fromPath(GuestHarness.guest("wasi_basics")), config);

        assertEquals(new RunResult.Exited(0), result);
        assertTrue(writes.size() > 5, "the guest prints a line per fact: " + writes);
        // wasi-libc hands each line over as two iovecs; the caller still sees whole lines, one write each.
        for (String write : writes) {
            assertTrue(
                    write.endsWith("\n") && write.indexOf('\n') == write.length() - 1, "not one whole line: " + writes);
        }
    }
}
