/**
 * libbpf through FFM. The API is the object model ({@code dev.wasmbpf.bpf}), the attach kinds
 * ({@code dev.wasmbpf.bpf.link}) and the two buffer pollers; the downcall handles, the native struct layouts and the
 * bridge the link classes use ({@code dev.wasmbpf.bpf.internal}) are not exported. This module calls restricted
 * methods (downcalls, upcalls, {@code MemorySegment.reinterpret}): run it with
 * {@code --enable-native-access=dev.wasmbpf.bpf} on the module path, {@code ALL-UNNAMED} on the class path.
 */
module dev.wasmbpf.bpf {
    // Only ObjectPrecheck reads ELF/BTF with it; no btf type is part of this module's API.
    requires dev.wasmbpf.btf;

    exports dev.wasmbpf.bpf;
    exports dev.wasmbpf.bpf.link;
    exports dev.wasmbpf.bpf.perf;
    exports dev.wasmbpf.bpf.ringbuf;
}
