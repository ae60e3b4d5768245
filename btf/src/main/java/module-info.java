/**
 * The pure-Java ELF/BTF reader and the toolchain's emitters. No native access, no dependencies. Every package is
 * API: the toolchain, {@code inspect} and the bpf layer's precheck read it.
 */
module dev.wasmbpf.btf {
    exports dev.wasmbpf.btf;
    exports dev.wasmbpf.btf.elf;
    exports dev.wasmbpf.btf.emit;
    exports dev.wasmbpf.btf.skeleton;
}
