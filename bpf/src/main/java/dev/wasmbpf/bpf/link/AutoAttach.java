package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.internal.LibbpfCalls;

/**
 * Attaches as the program's section name says, with libbpf's {@code bpf_program__attach}: tracepoints
 * ({@code tp/<group>/<name>}), raw tracepoints ({@code raw_tp/<name>}, {@code tp_btf/<name>}), {@code fentry/},
 * {@code kprobe/}, {@code uprobe/<path>:<func>}, … — every kind whose target the section name carries. Tracepoints
 * and raw tracepoints have no class of their own because libbpf needs nothing beyond the section to attach them;
 * {@link dev.wasmbpf.bpf.SectionTable} says which sections libbpf can attach this way (its {@code LIBBPF} target).
 *
 * <p>The link is owned by the program's object as well; closing either detaches the program.
 */
public final class AutoAttach {
    private AutoAttach() {}

    /** libbpf's error (ENOENT for a missing tracepoint, EOPNOTSUPP for a section it cannot attach ...) is kept. */
    public static BpfLink attach(BpfProgram program) throws BpfException {
        return Attachment.libbpf(program, "", LibbpfCalls::programAttach);
    }
}
