package dev.wasmbpf.btf.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfExt;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.testing.ObjectFixtures;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ObjectFileTest {
    @Test
    void readsMapsProgramsAndDataSectionsOfAClangObject() throws Exception {
        ObjectFile obj = ObjectFile.read(ObjectFixtures.types());

        assertEquals("GPL", obj.license());
        Map<String, BpfMap> maps = obj.maps().stream().collect(Collectors.toMap(BpfMap::name, m -> m));
        assertEquals(1, maps.get("events").mapType(), "BPF_MAP_TYPE_HASH");
        assertEquals(128, maps.get("events").maxEntries());
        assertEquals(
                "event",
                obj.btf().orElseThrow().type(maps.get("events").valueType()).name());
        assertEquals(27, maps.get("rb").mapType(), "BPF_MAP_TYPE_RINGBUF");
        assertEquals(4096, maps.get("rb").maxEntries());

        assertEquals(
                List.of("on_write", "sock_filter"),
                obj.programs().stream().map(BpfProgram::name).toList());
        assertEquals("tp/syscalls/sys_enter_write", obj.programs().get(0).section());
        assertEquals("socket", obj.programs().get(1).section());

        Map<String, DataSection> data =
                obj.dataSections().stream().collect(Collectors.toMap(DataSection::name, d -> d));
        assertTrue(
                data.keySet().containsAll(List.of(".rodata", ".data", ".bss", ".data.custom")),
                data.keySet().toString());
        assertEquals("data_custom", data.get(".data.custom").ident());
        assertTrue(data.get(".rodata").readOnly());
        BtfType.Datasec custom = data.get(".data.custom").layout().orElseThrow();
        assertEquals(data.get(".data.custom").size(), custom.size(), "DATASEC size fixed up from the ELF section");
        long offsetOfCounter = custom.vars().stream()
                .filter(v -> obj.btf().get().type(v.type()).name().equals("custom_counter"))
                .findFirst()
                .orElseThrow()
                .offset();
        assertEquals(24, offsetOfCounter, "custom_counter follows the 24-byte struct bits");
    }

    @Test
    void readsRelocationsAndBtfExt() throws Exception {
        ObjectFile obj = ObjectFile.read(ObjectFixtures.types());
        ElfFile elf = obj.elf();
        int progSection = obj.programs().get(0).sectionIndex();
        List<String> relocated = elf.relocations().stream()
                .filter(r -> r.targetSection() == progSection)
                .map(r -> elf.symbols().get(r.symbol()).name())
                .toList();
        assertTrue(relocated.contains("events"), "the map reference is relocated: " + relocated);

        BtfExt ext = obj.btfExt().orElseThrow();
        List<String> funcs = ext.funcInfos().stream()
                .map(f -> obj.btf().get().type(f.typeId()).name())
                .toList();
        assertTrue(funcs.containsAll(List.of("on_write", "sock_filter", "bump")), funcs.toString());
        assertFalse(ext.lineInfos().isEmpty());
        assertTrue(ext.lineInfos().stream().anyMatch(l -> l.file().endsWith("types.bpf.c")));
        assertTrue(ext.coreRelocations().isEmpty(), "types.bpf.c uses no CO-RE");

        ObjectFile exec = ObjectFile.read(ObjectFixtures.exec());
        assertTrue(
                exec.btfExt().orElseThrow().coreRelocations().stream()
                        .anyMatch(r -> exec.btf().get().type(r.typeId()).name().equals("task_struct")
                                && !r.accessString().isEmpty()),
                "BPF_CORE_READ(task, real_parent, tgid) is a CO-RE access");
    }

    @Test
    void readsTheKernelsBtfWithEveryKind() throws Exception {
        TestEnvironment.requireVmlinux();
        Btf btf = Btf.parse(Files.readAllBytes(TestEnvironment.VMLINUX));
        Map<String, Long> kinds =
                btf.types().stream().collect(Collectors.groupingBy(BtfType::kindName, Collectors.counting()));
        for (String k : List.of(
                "INT",
                "PTR",
                "ARRAY",
                "STRUCT",
                "UNION",
                "ENUM",
                "FWD",
                "TYPEDEF",
                "VOLATILE",
                "CONST",
                "FUNC",
                "FUNC_PROTO",
                "VAR",
                "DATASEC",
                "FLOAT",
                "DECL_TAG")) {
            assertTrue(kinds.getOrDefault(k, 0L) > 0, "kernel BTF has " + k + ": " + kinds);
        }
        int task = btf.idsNamed("task_struct").stream()
                .filter(id -> btf.type(id) instanceof BtfType.Composite)
                .findFirst()
                .orElseThrow();
        assertTrue(btf.sizeOf(task) > 1000);
        BtfType.Composite ts = (BtfType.Composite) btf.type(task);
        assertTrue(ts.members().stream().anyMatch(m -> m.name().equals("pid")));
    }
}
