package dev.wasmbpf.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by the build). */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = WasmBpfCommand.class.getPackage().getImplementationVersion();
        return new String[] {
            "wasm-bpf " + (version == null ? "(development build)" : version),
            "JVM: ${java.vm.name} ${java.version}; Wasm engine: Chicory; BPF: libbpf.so.1 through FFM"
        };
    }
}
