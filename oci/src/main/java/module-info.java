/**
 * Wasm modules as OCI artifacts: references, push and pull through the ORAS Java SDK, the local module cache
 * ({@code dev.wasmbpf.oci}), and the static inspection of a module and the BPF objects it embeds
 * ({@code dev.wasmbpf.oci.inspect}). Both packages are API: the daemon pulls and caches, the CLI pushes, pulls and
 * inspects. ORAS is implementation (no ORAS type is in this API) and is not re-exported.
 */
module dev.wasmbpf.oci {
    // The inspection's records name bpf types (KernelVersion, MapType, SectionTable.Section).
    requires transitive dev.wasmbpf.bpf;
    // Only the embedded-object scan reads ELF/BTF with it.
    requires dev.wasmbpf.btf;
    // Only the inspection parses the module with it.
    requires com.dylibso.chicory.wasm;
    // The ORAS Java SDK 0.7.0 has neither module-info nor Automatic-Module-Name: this is the name the JDK derives from
    // its file name (oras-java-sdk-0.7.0.jar), an automatic module that reads its dependencies from the class path.
    // javac's requires-automatic lint and maven-compiler-plugin's "filename-based automodules" banner say so on every
    // build, as they should (docs/architecture.md, "Module boundaries").
    requires oras.java.sdk;
    // RegistryErrors names the HTTP client's timeout (ORAS talks to registries through java.net.http).
    requires java.net.http;

    exports dev.wasmbpf.oci;
    exports dev.wasmbpf.oci.inspect;
}
