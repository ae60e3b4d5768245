package dev.wasmbpf.btf.skeleton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SkeletonGeneratorTest {
    private static final Path SDK = Path.of("..", "sdk", "c");

    @Test
    void skeletonCompilesForWasm32AgainstTheGuestSdk() throws Exception {
        Path object = ObjectFixtures.types();
        String skel = new SkeletonGenerator(ObjectFile.read(object), "types_bpf").generate();
        TestEnvironment.require(Files.exists(SDK.resolve("libbpf-wasm.h")), "the guest SDK sdk/c/libbpf-wasm.h");
        TestEnvironment.requireWasiSysroot();
        Path dir = Files.createDirectories(Path.of("target", "skeleton"));
        Files.writeString(dir.resolve("types.skel.h"), skel);
        Files.writeString(dir.resolve("use.c"), """
                #include "types.skel.h"
                int main(void)
                {
                	struct types_bpf *skel = types_bpf__open();
                	if (!skel)
                		return 1;
                	skel->rodata->min_duration_ns = 1000;
                	skel->rodata->filter_endpoint.port = 53;
                	skel->data_custom->bits_val.b = 3;
                	skel->bss->last_event.duration_ns = 1;
                	if (types_bpf__load(skel) || types_bpf__attach(skel))
                		return 2;
                	types_bpf__detach(skel);
                	types_bpf__destroy(skel);
                	return 0;
                }
                """);
        TestEnvironment.run(
                dir,
                List.of(
                        TestEnvironment.clang(),
                        "--target=wasm32-wasi",
                        "--sysroot=/usr",
                        "-I" + SDK.toAbsolutePath(),
                        "-Wall",
                        "-Werror",
                        "-Wno-unused-function",
                        "-fsyntax-only",
                        "use.c"));
    }

    @Test
    void embedsTheObjectByteForByte() throws Exception {
        Path object = ObjectFixtures.types();
        String skel = new SkeletonGenerator(ObjectFile.read(object), "types_bpf").generate();
        Matcher size = Pattern.compile("\\*sz = (\\d+);").matcher(skel);
        assertTrue(size.find());
        int start = skel.indexOf("return (const void *)\"\\\n") + "return (const void *)\"\\\n".length();
        int end = skel.indexOf("\";\n}", start);
        byte[] decoded = unescape(skel.substring(start, end));
        assertArrayEquals(Files.readAllBytes(object), decoded);
        assertEquals(decoded.length, Integer.parseInt(size.group(1)));
    }

    @Test
    void listsTheSameMapsAndProgramsAsBpftool() throws Exception {
        Path object = ObjectFixtures.types();
        String ours = new SkeletonGenerator(ObjectFile.read(object), "types_bpf").generate();
        TestEnvironment.require(
                Files.isExecutable(Path.of("/usr/sbin/bpftool")) || Files.isExecutable(Path.of("/usr/bin/bpftool")),
                "bpftool");
        String bpftool = TestEnvironment.run(
                object.getParent(),
                List.of("bpftool", "gen", "skeleton", object.getFileName().toString(), "name", "types_bpf"));
        for (String pattern : List.of(
                "s->progs\\[\\d+\\]\\.name = \"(\\w+)\"",
                "s->maps\\[\\d+\\]\\.map = &obj->maps\\.(\\w+);",
                "s->maps\\[\\d+\\]\\.mmaped = \\(void \\*\\*\\)&obj->(\\w+);")) {
            assertEquals(matches(bpftool, pattern), matches(ours, pattern), pattern);
        }
    }

    private static TreeSet<String> matches(String text, String pattern) {
        TreeSet<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(pattern).matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') throw new IllegalStateException("raw character in literal at " + i);
            char n = s.charAt(++i);
            if (n == '\n') continue;
            if (n == '0') out.write(0);
            else if (n == 'x') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else throw new IllegalStateException("escape \\" + n);
        }
        return out.toByteArray();
    }
}
