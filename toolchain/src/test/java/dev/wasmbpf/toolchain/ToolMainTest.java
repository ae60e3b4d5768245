package dev.wasmbpf.toolchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.testing.ObjectFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ToolMainTest {
    private record Result(int exit, String err) {}

    /** A new, empty directory per test: files an earlier run left behind cannot make a check pass. */
    private static Path freshDir() throws java.io.IOException {
        Files.createDirectories(Path.of("target"));
        return Files.createTempDirectory(Path.of("target"), "cli-");
    }

    /** Runs {@code args} with {@code -o out} added, checks the exit status is 0, and returns what was written. */
    private static String written(Path out, String... args) throws java.io.IOException {
        String[] line = java.util.Arrays.copyOf(args, args.length + 2);
        line[args.length] = "-o";
        line[args.length + 1] = out.toString();
        Result result = run(line);
        assertEquals(0, result.exit(), result.err());
        return Files.readString(out);
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = ToolMain.commandLine(new ToolMain());
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), err.toString());
    }

    @Test
    void writesEachFormatToTheOutputFile() throws Exception {
        Path object = ObjectFixtures.types();
        Path dir = freshDir();
        assertTrue(written(dir.resolve("types.h"), "btf", "dump", "file", object.toString(), "format", "c")
                .contains("struct packed_rec {"));
        String event = written(
                dir.resolve("event.h"),
                "btf",
                "dump",
                "file",
                object.toString(),
                "format",
                "c",
                "-j",
                "--type",
                "event");
        assertTrue(event.contains("char __pad0[4];"));
        assertTrue(written(dir.resolve("types.wit"), "btf", "dump", "file", object.toString(), "format", "wit")
                .contains("record event {"));
        assertTrue(written(dir.resolve("t.skel.h"), "gen", "skeleton", object.toString(), "--name", "t_bpf")
                .contains("t_bpf__open_and_load(void)"));
    }

    @Test
    void writesRustTypesAndTheRustSkeleton() throws Exception {
        Path object = ObjectFixtures.types();
        Path dir = freshDir();
        String rs = written(
                dir.resolve("event.rs"), "btf", "dump", "file", object.toString(), "format", "rust", "--type", "event");
        assertTrue(rs.contains("pub struct event {") && !rs.contains("pub struct bits {"), rs);
        String skel = written(
                dir.resolve("t.skel.rs"), "gen", "skeleton", object.toString(), "--lang", "rust", "--type", "flex");
        assertTrue(skel.contains("pub struct OpenSkel {") && skel.contains("pub struct flex {"), skel);
        Result lang = run("gen", "skeleton", object.toString(), "--lang", "go");
        assertEquals(1, lang.exit());
        assertTrue(lang.err().contains("unknown language 'go': expected c or rust"), lang.err());
        Result type = run("gen", "skeleton", object.toString(), "--lang", "rust", "--type", "nope");
        assertEquals(1, type.exit());
        assertTrue(type.err().contains("no struct, union, enum or typedef named 'nope'"), type.err());
    }

    @Test
    void badInputIsOneClearLineAndExitOne() throws Exception {
        Path dir = freshDir();
        Path junk = dir.resolve("junk.o");
        Files.write(junk, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        Result r = run("gen", "skeleton", junk.toString());
        assertEquals(1, r.exit());
        assertEquals(
                "skeleton: ELF offset 0: expected a 64-byte ELF header, the file has 8 bytes",
                r.err().strip());

        Result missing = run("btf", "dump", "file", dir.resolve("nope").toString(), "format", "c");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().strip().endsWith("no such file: " + dir.resolve("nope")), missing.err());
        assertEquals(1, missing.err().strip().lines().count());

        Result format = run("btf", "dump", "file", junk.toString(), "format", "rust");
        assertEquals(1, format.exit());
        assertTrue(
                format.err().contains("unknown format 'rust'") || format.err().contains("ELF offset"), format.err());
    }
}
