package dev.wasmbpf.oci.inspect;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmbpf.bpf.KernelVersion;
import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.oci.OciException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a module needs from its host without running it: its imports, the BPF objects it embeds
 * (programs and maps with their types) and the kernel features those need.
 */
public record ModuleInspection(
        List<WasmImport> imports, List<EmbeddedBpfObject> objects, List<KernelRequirement> requirements) {
    private static final int TYPE_SECTION = 1;
    private static final int IMPORT_SECTION = 2;
    private static final int MEMORY_SECTION = 5;
    private static final int DATA_SECTION = 11;
    private static final int DATA_COUNT_SECTION = 12;
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

    /** Parses only the sections that say what the module imports and carries (not its code); {@code name} appears in errors. */
    public static ModuleInspection of(String name, byte[] wasm) throws OciException {
        if (wasm.length < 8 || !java.util.Arrays.equals(wasm, 0, 4, WASM_MAGIC, 0, 4)) {
            throw new OciException(name + " is not a WebAssembly module (no \\0asm header)");
        }
        WasmModule module;
        try {
            module = Parser.builder()
                    .includeSectionId(TYPE_SECTION)
                    .includeSectionId(IMPORT_SECTION)
                    .includeSectionId(MEMORY_SECTION)
                    .includeSectionId(DATA_SECTION)
                    .includeSectionId(DATA_COUNT_SECTION)
                    .build()
                    .parse(() -> new java.io.ByteArrayInputStream(wasm));
        } catch (ChicoryException e) {
            throw new OciException(name + " is not a valid WebAssembly module: " + e.getMessage(), e);
        }
        List<WasmImport> imports =
                module.importSection().stream().map(i -> describe(module, i)).toList();
        List<EmbeddedBpfObject> objects =
                EmbeddedObjectScanner.scan(module.dataSection().dataSegments());
        return new ModuleInspection(imports, objects, requirements(objects));
    }

    /** Import modules in order of first use, e.g. [wasi_snapshot_preview1, wasm_bpf]. */
    public List<String> importModules() {
        return imports.stream().map(WasmImport::module).distinct().toList();
    }

    public List<EmbeddedBpfObject.Program> programs() {
        return objects.stream().flatMap(o -> o.programs().stream()).toList();
    }

    public List<EmbeddedBpfObject.Map> maps() {
        return objects.stream().flatMap(o -> o.maps().stream()).toList();
    }

    /** The newest release any requirement names; empty if nothing embedded says. */
    public Optional<KernelVersion> minimumKernel() {
        return requirements.stream().flatMap(r -> r.since().stream()).max(Comparator.naturalOrder());
    }

    private static WasmImport describe(WasmModule module, Import imported) {
        ExternalType kind = imported.importType();
        String type = "";
        if (imported instanceof FunctionImport function) {
            type = signature(module.typeSection().getType(function.typeIndex()));
        }
        return new WasmImport(imported.module(), imported.name(), kind.name().toLowerCase(java.util.Locale.ROOT), type);
    }

    private static String signature(FunctionType type) {
        String params = type.params().stream().map(ModuleInspection::valType).collect(Collectors.joining(", "));
        String results = type.returns().stream().map(ModuleInspection::valType).collect(Collectors.joining(", "));
        return "(" + params + ") -> (" + results + ")";
    }

    private static String valType(ValType type) {
        if (type.equals(ValType.I32)) return "i32";
        if (type.equals(ValType.I64)) return "i64";
        if (type.equals(ValType.F32)) return "f32";
        if (type.equals(ValType.F64)) return "f64";
        if (type.equals(ValType.V128)) return "v128";
        return type.toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<KernelRequirement> requirements(List<EmbeddedBpfObject> objects) {
        // Keyed by feature so that ten tracepoint programs give one line.
        Map<String, KernelRequirement> byFeature = new LinkedHashMap<>();
        for (EmbeddedBpfObject object : objects) {
            for (EmbeddedBpfObject.Program program : object.programs()) {
                program.type()
                        .ifPresentOrElse(
                                type -> {
                                    String feature = "program type " + type.typeName();
                                    byFeature.putIfAbsent(
                                            feature,
                                            KernelRequirement.since(
                                                    feature,
                                                    type.since(),
                                                    "program " + program.name() + " (SEC(\"" + program.section()
                                                            + "\"))"));
                                    type.needs()
                                            .ifPresent(needs -> byFeature.putIfAbsent(
                                                    needs,
                                                    KernelRequirement.config(
                                                            needs,
                                                            "to attach " + program.name() + " (" + type.typeName()
                                                                    + ")")));
                                },
                                () -> byFeature.putIfAbsent(
                                        "section " + program.section(),
                                        KernelRequirement.config(
                                                "section " + program.section(),
                                                "libbpf must know this section name to load " + program.name())));
            }
            for (EmbeddedBpfObject.Map map : object.maps()) {
                if (map.internal()) {
                    byFeature.putIfAbsent(
                            "global data",
                            KernelRequirement.since(
                                    "global data (.rodata/.data/.bss maps)",
                                    MapType.GLOBAL_DATA_SINCE,
                                    "map " + map.name()));
                } else {
                    map.type()
                            .ifPresent(type -> byFeature.putIfAbsent(
                                    "map type " + type.libbpfName(),
                                    KernelRequirement.since(
                                            "map type " + type.libbpfName(), type.since(), "map " + map.name())));
                }
            }
            if (object.coreRelocations() > 0) {
                byFeature.putIfAbsent(
                        "kernel BTF",
                        KernelRequirement.config(
                                KernelRequirement.KERNEL_BTF, object.coreRelocations() + " CO-RE relocations"));
            }
        }
        return new ArrayList<>(byFeature.values());
    }
}
