# The project's toolchain (`btf dump`, `gen skeleton`), run from the toolchain module's build output, which the
# reactor builds before the examples. Maven writes the tool's runtime classpath (btf, picocli) to
# toolchain/target/tool.classpath, so no path into a local Maven repository is written here. Needs REPO.
JAVA ?= $(if $(JAVA_HOME),$(JAVA_HOME)/bin/java,java)
TOOLCHAIN_TARGET ?= $(REPO)/toolchain/target
TOOL_CLASSPATH ?= $(TOOLCHAIN_TARGET)/classes:$(strip $(file <$(TOOLCHAIN_TARGET)/tool.classpath))
WASM_BPF_TOOL ?= $(JAVA) -cp $(TOOL_CLASSPATH) dev.wasmbpf.toolchain.ToolMain
