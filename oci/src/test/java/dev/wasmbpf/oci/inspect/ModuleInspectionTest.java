package dev.wasmbpf.oci.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.KernelVersion;
import dev.wasmbpf.bpf.SectionTable;
import dev.wasmbpf.oci.OciException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleInspectionTest {
    static byte[] example(String name) throws Exception {
        try (InputStream in = ModuleInspectionTest.class
                .getClassLoader()
                .getResourceAsStream("dev/wasmbpf/examples/" + name + ".wasm")) {
            return in.readAllBytes();
        }
    }

    @Test
    void bootstrapImportsTheAbiAndEmbedsTwoTracepointsAndARingBuffer() throws Exception {
        ModuleInspection inspection = ModuleInspection.of("bootstrap.wasm", example("bootstrap"));

        assertTrue(
                inspection.importModules().containsAll(List.of("wasm_bpf", "wasi_snapshot_preview1")),
                inspection.importModules().toString());
        WasmImport load = inspection.imports().stream()
                .filter(i -> i.name().equals("wasm_load_bpf_object"))
                .findFirst()
                .orElseThrow();
        assertEquals("wasm_bpf", load.module());
        assertEquals("function", load.kind());
        assertEquals("(i32, i32) -> (i64)", load.type()); // (obj_buf, obj_buf_sz) -> handle, per the ABI

        assertEquals(1, inspection.objects().size(), inspection.objects().toString());
        EmbeddedBpfObject object = inspection.objects().getFirst();
        assertTrue(object.hasBtf());
        assertTrue(
                object.license().startsWith("Dual BSD/GPL") || object.license().equals("GPL"), object.license());
        assertEquals(
                List.of(
                        "handle_exec:tp/sched/sched_process_exec:tracepoint",
                        "handle_exit:tp/sched/sched_process_exit:tracepoint"),
                inspection.programs().stream()
                        .map(p -> p.name() + ":" + p.section() + ":" + p.typeName())
                        .sorted()
                        .toList());
        assertTrue(
                inspection.maps().stream()
                        .anyMatch(m -> m.name().equals("rb") && m.typeName().equals("ringbuf")),
                inspection.maps().toString());
        assertTrue(
                inspection.maps().stream()
                        .anyMatch(m ->
                                m.name().equals("exec_start") && m.typeName().equals("hash")),
                inspection.maps().toString());

        assertEquals(
                Optional.of(KernelVersion.of(5, 8)),
                inspection.minimumKernel(),
                inspection.requirements().toString());
        assertTrue(
                inspection.requirements().stream().anyMatch(r -> r.feature().equals("map type ringbuf")),
                inspection.requirements().toString());
    }

    @Test
    void theEmbeddedObjectHasTheSizeOfTheElfTheExampleWasBuiltFrom() throws Exception {
        byte[] wasm = example("bootstrap");
        EmbeddedBpfObject object =
                ModuleInspection.of("bootstrap.wasm", wasm).objects().getFirst();
        java.nio.file.Path built = java.nio.file.Path.of("../examples/target/examples-build/bootstrap/bootstrap.bpf.o");
        // The examples module builds it before this one in the reactor; without it there is nothing to compare.
        dev.wasmbpf.testkit.Prerequisites.require(
                "the examples' build output " + built, java.nio.file.Files.exists(built));
        assertEquals(java.nio.file.Files.size(built), object.size());
    }

    @Test
    void sectionNamesMapToLibbpfProgramTypes() {
        assertEquals(
                "tracepoint",
                SectionTable.lookup("tp/sched/sched_process_exec").orElseThrow().typeName());
        assertEquals(
                "raw_tracepoint",
                SectionTable.lookup("raw_tp/sys_enter").orElseThrow().typeName());
        assertEquals("xdp", SectionTable.lookup("xdp.frags").orElseThrow().typeName());
        assertEquals(
                "socket_filter", SectionTable.lookup("socket").orElseThrow().typeName());
        assertEquals(
                "cgroup_skb",
                SectionTable.lookup("cgroup_skb/ingress").orElseThrow().typeName());
        assertEquals(
                "cgroup_sock_addr",
                SectionTable.lookup("cgroup/connect4").orElseThrow().typeName());
        assertEquals(
                Optional.of("CONFIG_KPROBES"),
                SectionTable.lookup("kprobe/do_unlinkat").orElseThrow().needs());
        assertEquals(
                "kprobe (multi)",
                SectionTable.lookup("kprobe.multi/tcp_*").orElseThrow().typeName());
        assertEquals(Optional.empty(), SectionTable.lookup("my_own_section"));
    }

    @Test
    void notWasmIsAClearError() {
        OciException e =
                assertThrows(OciException.class, () -> ModuleInspection.of("junk.wasm", "hello, not wasm".getBytes()));
        assertEquals("junk.wasm is not a WebAssembly module (no \\0asm header)", e.getMessage());
    }

    @Test
    void aTruncatedModuleIsAClearError() throws Exception {
        byte[] wasm = example("bootstrap");
        OciException e = assertThrows(
                OciException.class, () -> ModuleInspection.of("cut.wasm", Arrays.copyOf(wasm, wasm.length / 2)));
        assertTrue(e.getMessage().startsWith("cut.wasm is not a valid WebAssembly module"), e.getMessage());
    }

    @Test
    void aFakeElfHeaderInDataIsIgnoredNotFatal() throws Exception {
        // A module whose only data segment holds an ELF header claiming EM_BPF with absurd section offsets.
        byte[] header = new byte[64];
        header[0] = 0x7f;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[4] = 2;
        header[5] = 1;
        header[18] = (byte) 247;
        header[0x28] = 0x10;
        header[0x3a] = 64;
        header[0x3c] = 3;
        byte[] wasm = moduleWithData(header);
        ModuleInspection inspection = ModuleInspection.of("fake.wasm", wasm);
        assertEquals(List.of(), inspection.objects());
    }

    @Test
    void corruptedEmbeddedObjectsNeverBreakInspection() throws Exception {
        byte[] wasm = example("bootstrap");
        int elf = indexOf(wasm, new byte[] {0x7f, 'E', 'L', 'F', 2, 1});
        assertTrue(elf > 0, "bootstrap embeds no ELF");
        int size =
                ModuleInspection.of("bootstrap.wasm", wasm).objects().getFirst().size();
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 300; round++) {
            byte[] mutated = wasm.clone();
            // Data bytes only: the module stays valid Wasm, the object inside it does not stay a valid ELF.
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                int at = elf + (round % 3 == 0 ? random.nextInt(64) : random.nextInt(size));
                mutated[at] = (byte) random.nextInt(256);
            }
            ModuleInspection inspection = ModuleInspection.of("mutated.wasm", mutated);
            assertTrue(inspection.objects().size() <= 1, "round " + round);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** (module (memory 1) (data (i32.const 16) "…")) in binary form. */
    private static byte[] moduleWithData(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        out.writeBytes(new byte[] {5, 3, 1, 0, 1}); // memory section: one memory, min 1 page
        java.io.ByteArrayOutputStream segment = new java.io.ByteArrayOutputStream();
        segment.writeBytes(new byte[] {1, 0, 0x41, 16, 0x0b}); // 1 segment, active mem 0, i32.const 16, end
        segment.write(data.length); // < 128: one LEB128 byte
        segment.writeBytes(data);
        out.write(11);
        out.write(segment.size());
        out.writeBytes(segment.toByteArray());
        return out.toByteArray();
    }
}
