package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Matches a module's imports against the host functions on offer, so that a missing or mistyped import
 * fails before instantiation with a message naming {@code module.name} and both types.
 */
final class ImportLinker {
    private ImportLinker() {}

    /** The type under which the module imports {@code module.name}, if it does. */
    static Optional<FunctionType> importedType(WasmModule module, String importModule, String name) {
        ImportSection imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imported = imports.getImport(i);
            if (imported instanceof FunctionImport function
                    && imported.module().equals(importModule)
                    && imported.name().equals(name)) {
                return Optional.of(module.typeSection().getType(function.typeIndex()));
            }
        }
        return Optional.empty();
    }

    /** Checks every import of the module has a host function of the same type, without building anything. */
    static void check(WasmModule module, List<? extends ImportFunction> offered) throws ModuleLinkException {
        resolve(module, offered);
    }

    static ImportValues link(WasmModule module, List<? extends ImportFunction> offered) throws ModuleLinkException {
        return ImportValues.builder().withFunctions(resolve(module, offered)).build();
    }

    private static List<ImportFunction> resolve(WasmModule module, List<? extends ImportFunction> offered)
            throws ModuleLinkException {
        Map<String, ImportFunction> byName = new LinkedHashMap<>();
        for (ImportFunction function : offered) {
            byName.put(function.module() + "." + function.name(), function);
        }
        List<ImportFunction> used = new ArrayList<>();
        ImportSection imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imported = imports.getImport(i);
            String qualified = imported.module() + "." + imported.name();
            if (!(imported instanceof FunctionImport function)) {
                throw new ModuleLinkException(
                        "unsupported import " + qualified + ": the host provides only functions, not a "
                                + imported.importType().name().toLowerCase(java.util.Locale.ROOT));
            }
            FunctionType wanted = module.typeSection().getType(function.typeIndex());
            ImportFunction provided = byName.get(qualified);
            if (provided == null) {
                throw new ModuleLinkException("unknown import " + qualified + " " + signature(wanted)
                        + ": no host function of that name (register it through the embedding API)");
            }
            if (!sameType(provided.functionType(), wanted)) {
                throw new ModuleLinkException("import " + qualified + " has type " + signature(wanted)
                        + " but the host provides " + signature(provided.functionType()));
            }
            used.add(provided);
        }
        return used;
    }

    private static boolean sameType(FunctionType a, FunctionType b) {
        return a.params().equals(b.params()) && a.returns().equals(b.returns());
    }

    static String signature(FunctionType type) {
        return "(" + names(type.params()) + ") -> (" + names(type.returns()) + ")";
    }

    private static String names(List<ValType> types) {
        return types.stream()
                .map(t -> t.name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
