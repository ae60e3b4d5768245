/**
 * The embedding API ({@code dev.wasmbpf.runtime}: {@code WasmBpfRuntime}, {@code RunConfig}, {@code RunningModule},
 * {@code RunEvent}, {@code GuestMemory} …). The host ABI ({@code .abi}), WASI ({@code .wasi}) and the host-call
 * boundary ({@code .internal}) are implementation and not exported. Native access is the bpf module's, not this one's.
 */
module dev.wasmbpf.runtime {
    requires transitive dev.wasmbpf.bpf;
    requires dev.wasmbpf.btf;
    requires transitive com.dylibso.chicory.runtime;
    requires com.dylibso.chicory.wasi;
    // CompiledModuleCache implements the compiler's Cache.
    requires transitive com.dylibso.chicory.compiler;
    // RunningModule reads the guest thread's CPU time (ThreadMXBean).
    requires java.management;

    exports dev.wasmbpf.runtime;
}
