/**
 * The toolchain's command line ({@code btf dump}, {@code gen skeleton}). {@code dev.wasmbpf.toolchain} is its only
 * package and is exported: the CLI mounts {@code BtfCommand} and {@code GenCommand} as subcommands and reuses
 * {@code ToolMain}'s error handling. picocli sets the annotated (private) option fields by reflection, so the package is
 * opened to it, and to nothing else.
 */
module dev.wasmbpf.toolchain {
    requires dev.wasmbpf.btf;
    // ToolMain.commandLine returns picocli's CommandLine, so a reader of this module reads picocli too.
    requires transitive info.picocli;

    exports dev.wasmbpf.toolchain;

    opens dev.wasmbpf.toolchain to
            info.picocli;
}
