package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The toolchain is part of the same command: `wasm-bpf btf …` and `wasm-bpf gen …`. */
class ToolchainCommandsIT {
    private static Path object(String name) {
        return CliProcess.guest("maps").resolveSibling(name + ".bpf.o");
    }

    private static String run(int expectedExit, String... args) throws Exception {
        Process process = CliProcess.command(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
        assertEquals(expectedExit, process.exitValue(), output);
        return output;
    }

    @Test
    void genSkeletonNamesTheObjectsMapsAndPrograms() throws Exception {
        String skeleton = run(0, "gen", "skeleton", object("maps").toString());
        assertTrue(skeleton.contains("struct maps_bpf {"), skeleton);
        assertTrue(skeleton.contains("struct bpf_map *kv;"), skeleton);
        assertTrue(skeleton.contains("maps_bpf__open_and_load"), skeleton);
    }

    @Test
    void btfDumpWasmGivesSizeAssertedStructs() throws Exception {
        String header = run(0, "btf", "dump", "file", object("ringbuf_exec").toString(), "format", "c", "--wasm");
        assertTrue(header.contains("_Static_assert(sizeof("), header);
    }

    @Test
    void aMissingInputIsOneLine() throws Exception {
        String out = run(1, "btf", "dump", "file", "/nonexistent.o", "format", "c");
        assertEquals("wasm-bpf: no such file: /nonexistent.o", out.strip());
    }
}
