package dev.wasmbpf.bpf.link;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.internal.LibbpfCalls;

/**
 * Attaches an XDP program to a network interface with a BPF link ({@code bpf_program__attach_xdp}, Linux 5.9),
 * in the mode the driver offers. An XDP link is exclusive: a second one on the same interface fails with EBUSY
 * until the first is closed.
 */
public final class Xdp {
    private Xdp() {}

    /** ENODEV for an unknown interface; libbpf's error from the attach. */
    public static BpfLink attach(BpfProgram program, String ifname) throws BpfException {
        int ifindex = NetworkInterface.index(program, ifname);
        return Attachment.libbpf(
                program,
                " to XDP of " + ifname,
                (state, handle) -> LibbpfCalls.programAttachXdp(state, handle, ifindex));
    }
}
