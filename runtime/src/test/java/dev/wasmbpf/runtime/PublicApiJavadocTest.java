package dev.wasmbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API's Javadoc builds without a doclint warning: every public type and member is documented. */
class PublicApiJavadocTest {
    @Test
    void javadocOfTheApiPackageHasNoWarnings(@TempDir Path out) {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        StringWriter messages = new StringWriter();
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources.resolve("dev/wasmbpf/runtime")), "run from the runtime module");
        // src/main/java has a module-info.java, so javadoc documents the module: its requirements come from the
        // module path surefire runs the tests with (the test dependencies stay on the class path).
        List<String> options = new java.util.ArrayList<>(List.of(
                "-Xdoclint:all",
                "-quiet",
                "-d",
                out.toString(),
                "-sourcepath",
                sources.toString(),
                "-classpath",
                System.getProperty("java.class.path")));
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            options.addAll(List.of("--module-path", modulePath));
        }
        options.add("dev.wasmbpf.runtime");
        DocumentationTool.DocumentationTask task = javadoc.getTask(messages, null, null, null, options, null);
        boolean ok = task.call();
        String text = messages.toString();
        assertTrue(ok, text);
        assertEquals(
                "",
                text.lines()
                        .filter(line -> line.contains("warning") || line.contains("error"))
                        .reduce("", (a, b) -> a + b + "\n"),
                text);
    }
}
