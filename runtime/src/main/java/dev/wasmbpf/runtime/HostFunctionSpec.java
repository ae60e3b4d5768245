package dev.wasmbpf.runtime;

import java.util.List;
import java.util.Objects;

/**
 * An extra host function offered to guests as {@code module.name} with a Wasm type.
 *
 * @param module import module name, e.g. {@code "env"}
 * @param name import name
 * @param params parameter types
 * @param results result types (zero or one for C guests)
 * @param body the implementation
 */
public record HostFunctionSpec(
        String module, String name, List<ValueType> params, List<ValueType> results, HostFunctionBody body) {
    /** Checks the fields and copies the type lists. */
    public HostFunctionSpec {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
        results = List.copyOf(results);
        Objects.requireNonNull(body, "body");
    }

    /**
     * The import's full name.
     *
     * @return {@code module.name}
     */
    public String qualifiedName() {
        return module + "." + name;
    }
}
