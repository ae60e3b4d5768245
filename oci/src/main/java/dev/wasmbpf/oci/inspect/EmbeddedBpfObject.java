package dev.wasmbpf.oci.inspect;

import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.bpf.SectionTable;
import java.util.List;
import java.util.Optional;

/**
 * A BPF ELF object found in the module's data, as its programs and maps: what libbpf will load
 * when the guest calls wasm_load_bpf_object on those bytes.
 */
public record EmbeddedBpfObject(
        long memoryOffset,
        int size,
        String license,
        boolean hasBtf,
        int coreRelocations,
        List<Program> programs,
        List<Map> maps) {
    public record Program(String name, String section, Optional<SectionTable.Section> type) {
        public String typeName() {
            return type.map(SectionTable.Section::typeName).orElse("unknown");
        }
    }

    /** {@code type} is empty for internal (global-data) maps and legacy definitions that do not say. */
    public record Map(String name, boolean internal, Optional<MapType> type, long maxEntries) {
        public String typeName() {
            return internal
                    ? "array (global data)"
                    : type.map(MapType::libbpfName).orElse("unknown");
        }
    }
}
