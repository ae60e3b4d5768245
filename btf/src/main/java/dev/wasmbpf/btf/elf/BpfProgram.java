package dev.wasmbpf.btf.elf;

/**
 * An entry-point program: a global function in an executable section other than .text (whose
 * functions are subprograms). The section name ("tp/sched/sched_process_exec") decides how
 * libbpf loads and attaches it.
 */
public record BpfProgram(String name, String section, int sectionIndex, long offset, long size) {}
