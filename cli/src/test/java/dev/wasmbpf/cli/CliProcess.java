package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the built CLI jar as a real process, as a user would through ./wasm-bpf. */
final class CliProcess {
    private CliProcess() {}

    static Path jar() {
        Path jar = Path.of(System.getProperty("wasmbpf.cli.jar", "target/wasm-bpf.jar"));
        assertTrue(Files.exists(jar), "CLI jar not built: " + jar);
        return jar;
    }

    static Path guest(String name) {
        Path path = Path.of(System.getProperty("wasmbpf.test.guests", "../runtime/target/test-guests"))
                .resolve(name + ".wasm");
        assertTrue(Files.exists(path), "test guest not built: " + path);
        return path;
    }

    /** The CLI through the {@code ./wasm-bpf} launcher, as a shell user starts it, on the built jar and this JDK. */
    static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of("..", "wasm-bpf").toAbsolutePath().normalize().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("WASM_BPF_JAR", jar().toAbsolutePath().toString());
        builder.environment().remove("WASM_BPF_AOT");
        return builder;
    }

    static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * The command with SIGINT and SIGTERM reset to their default disposition: a build started in the
     * background inherits an ignored SIGINT, which the JVM then declines to handle, as Unix programs should.
     */
    static ProcessBuilder withDefaultSignals(String... args) {
        List<String> command =
                new ArrayList<>(List.of("perl", "-e", "$SIG{INT}='DEFAULT'; $SIG{TERM}='DEFAULT'; exec @ARGV or die"));
        command.addAll(command(args).command());
        return new ProcessBuilder(command);
    }

    /**
     * Asks the CLI started by {@code builder} to report, right before it exits, what kernel objects it still
     * holds (the test-only channel {@link dev.wasmbpf.bpf.HeldKernelObjects#ACCOUNTING_ENV}); returns the file
     * for {@link dev.wasmbpf.bpf.testing.KernelTestSupport#assertReportedNothingHeld}.
     */
    static Path withAccounting(ProcessBuilder builder) throws IOException {
        Path accounting = Files.createTempFile("wasm-bpf-accounting", ".txt");
        Files.delete(accounting);
        builder.environment().put(dev.wasmbpf.bpf.HeldKernelObjects.ACCOUNTING_ENV, accounting.toString());
        return accounting;
    }

    /**
     * Runs the CLI as a shell runs {@code wasm-bpf ARGS | head -n LINES}, starting {@code /bin/true} every 100 ms
     * meanwhile (the activity the CLI's next output line needs), and returns what the shell printed: head's lines,
     * then {@code STATUS n} with the CLI's exit status ({@code PIPESTATUS[0]}).
     */
    static String pipedIntoHead(int lines, ProcessBuilder cli) throws Exception {
        return pipedIntoHead("", lines, cli);
    }

    /** The same, with {@code shellPrefix} (such as {@code trap '' PIPE;}) run by the shell first. */
    static String pipedIntoHead(String shellPrefix, int lines, ProcessBuilder cli) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "-c",
                shellPrefix + "\"$@\" | head -n " + lines + "; echo \"STATUS ${PIPESTATUS[0]}\"",
                "bash"));
        command.addAll(cli.command());
        // stderr to a file: a pipeline left running must not hold the test fork's stderr (Maven waits for it).
        Path errors = Files.createTempFile("wasm-bpf-pipe", ".err");
        ProcessBuilder shell = new ProcessBuilder(command).redirectError(errors.toFile());
        shell.environment().putAll(cli.environment());
        Process process = shell.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (process.isAlive() && System.nanoTime() < deadline) {
            new ProcessBuilder("/bin/true").start().waitFor();
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the pipeline did not end after head exited; stderr: " + Files.readString(errors));
        }
        Files.delete(errors);
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static Process start(String... args) throws IOException {
        return command(args).start();
    }

    /** Runs the CLI to completion and returns stdout and stderr together, asserting the exit status. */
    static String run(int expectedExit, String... args) throws Exception {
        Process process = command(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
        assertEquals(expectedExit, process.exitValue(), output);
        return output;
    }
}
