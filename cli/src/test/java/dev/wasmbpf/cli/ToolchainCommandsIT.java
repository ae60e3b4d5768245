package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The toolchain is part of the same command: `wasm-bpf btf …` and `wasm-bpf gen …`. */
class ToolchainCommandsIT {
    private static Path object(String name) {
        return CliProcess.guest("maps").resolveSibling(name + ".bpf.o");
    }

    @Test
    void genSkeletonNamesTheObjectsMapsAndPrograms() throws Exception {
        String skeleton = CliProcess.run(0, "gen", "skeleton", object("maps").toString());
        assertTrue(skeleton.contains("struct maps_bpf {"), skeleton);
        assertTrue(skeleton.contains("struct bpf_map *kv;"), skeleton);
        assertTrue(skeleton.contains("maps_bpf__open_and_load"), skeleton);
    }

    @Test
    void btfDumpWasmGivesSizeAssertedStructs() throws Exception {
        String header =
                CliProcess.run(0, "btf", "dump", "file", object("ringbuf_exec").toString(), "format", "c", "--wasm");
        assertTrue(header.contains("_Static_assert(sizeof("), header);
    }

    @Test
    void aMissingInputIsOneLine() throws Exception {
        String out = CliProcess.run(1, "btf", "dump", "file", "/nonexistent.o", "format", "c");
        assertEquals("wasm-bpf: no such file: /nonexistent.o", out.strip());
    }
}
