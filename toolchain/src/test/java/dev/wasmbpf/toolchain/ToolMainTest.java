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
        assertEquals(
                0,
                run(
                                "btf",
                                "dump",
                                "file",
                                object.toString(),
                                "format",
                                "c",
                                "-o",
                                dir.resolve("types.h").toString())
                        .exit());
        assertTrue(Files.readString(dir.resolve("types.h")).contains("struct packed_rec {"));
        assertEquals(
                0,
                run(
                                "btf",
                                "dump",
                                "file",
                                object.toString(),
                                "format",
                                "c",
                                "-j",
                                "--type",
                                "event",
                                "-o",
                                dir.resolve("event.h").toString())
                        .exit());
        assertTrue(Files.readString(dir.resolve("event.h")).contains("char __pad0[4];"));
        assertEquals(
                0,
                run(
                                "btf",
                                "dump",
                                "file",
                                object.toString(),
                                "format",
                                "wit",
                                "-o",
                                dir.resolve("types.wit").toString())
                        .exit());
        assertTrue(Files.readString(dir.resolve("types.wit")).contains("record event {"));
        assertEquals(
                0,
                run(
                                "gen",
                                "skeleton",
                                object.toString(),
                                "--name",
                                "t_bpf",
                                "-o",
                                dir.resolve("t.skel.h").toString())
                        .exit());
        assertTrue(Files.readString(dir.resolve("t.skel.h")).contains("t_bpf__open_and_load(void)"));
    }

    @Test
    void writesRustTypesAndTheRustSkeleton() throws Exception {
        Path object = ObjectFixtures.types();
        Path dir = freshDir();
        assertEquals(
                0,
                run(
                                "btf",
                                "dump",
                                "file",
                                object.toString(),
                                "format",
                                "rust",
                                "--type",
                                "event",
                                "-o",
                                dir.resolve("event.rs").toString())
                        .exit());
        String rs = Files.readString(dir.resolve("event.rs"));
        assertTrue(rs.contains("pub struct event {") && !rs.contains("pub struct bits {"), rs);
        assertEquals(
                0,
                run(
                                "gen",
                                "skeleton",
                                object.toString(),
                                "--lang",
                                "rust",
                                "--type",
                                "flex",
                                "-o",
                                dir.resolve("t.skel.rs").toString())
                        .exit());
        String skel = Files.readString(dir.resolve("t.skel.rs"));
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
