package dev.wasmbpf.oci.inspect;

/** One import of the module: {@code module.name}, its kind and, for functions, its signature. */
public record WasmImport(String module, String name, String kind, String type) {
    @Override
    public String toString() {
        return module + "." + name + " " + kind + (type.isEmpty() ? "" : " " + type);
    }
}
