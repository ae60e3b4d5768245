package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.examples.embedding.BootstrapFromJava;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's "Use it from Java" example is this module's BootstrapFromJava, and it works as written. */
class ReadmeEmbeddingTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/wasmbpf/examples/embedding/BootstrapFromJava.java");
    private static final String BEGIN = "// README-BEGIN";

    @Test
    void theReadmeShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(SOURCE);
        String shown = source.substring(source.indexOf('\n', source.indexOf(BEGIN)) + 1)
                .strip();
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("## Use it from Java"));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find(), "no java block in the README's Use it from Java section");
        assertEquals(shown, block.group(1).strip(), "README.md and " + SOURCE + " differ: keep them equal");
    }

    @Test
    void theExampleSeesItsOwnExecRightAfterAwaitReady() throws Exception {
        KernelTestSupport.requireKernel();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            BootstrapFromJava.main(new String[0]);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String errors = err.toString(StandardCharsets.UTF_8);
        Matcher ran = Pattern.compile("ran /bin/true as pid (\\d+)").matcher(errors);
        assertTrue(ran.find(), errors);
        String pid = ran.group(1);
        assertTrue(errors.contains("attached handle_exec (tp/sched/sched_process_exec)"), errors);
        assertTrue(!errors.contains("wasm-bpf: ") && !errors.contains("WARNING"), errors);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(
                lines.stream().anyMatch(line -> {
                    String[] f = line.trim().split("\\s+");
                    return f.length > 3 && f[1].equals("EXEC") && f[2].equals("true") && f[3].equals(pid);
                }),
                "no EXEC line for pid " + pid + " in:\n" + String.join("\n", lines));
    }
}
