package dev.wasmbpf.bpf;

/**
 * Mirrors {@code enum bpf_prog_type} from {@code include/uapi/linux/bpf.h}, in kernel order, so
 * {@link #ordinal()} is the raw value.
 */
public enum ProgramType {
    UNSPEC,
    SOCKET_FILTER,
    KPROBE,
    SCHED_CLS,
    SCHED_ACT,
    TRACEPOINT,
    XDP,
    PERF_EVENT,
    CGROUP_SKB,
    CGROUP_SOCK,
    LWT_IN,
    LWT_OUT,
    LWT_XMIT,
    SOCK_OPS,
    SK_SKB,
    CGROUP_DEVICE,
    SK_MSG,
    RAW_TRACEPOINT,
    CGROUP_SOCK_ADDR,
    LWT_SEG6LOCAL,
    LIRC_MODE2,
    SK_REUSEPORT,
    FLOW_DISSECTOR,
    CGROUP_SYSCTL,
    RAW_TRACEPOINT_WRITABLE,
    CGROUP_SOCKOPT,
    TRACING,
    STRUCT_OPS,
    EXT,
    LSM,
    SK_LOOKUP,
    SYSCALL,
    NETFILTER;

    private static final ProgramType[] BY_RAW = values();

    /** The type for a raw {@code bpf_prog_type}; UNSPEC for values newer than this enum. */
    public static ProgramType of(int raw) {
        return raw >= 0 && raw < BY_RAW.length ? BY_RAW[raw] : UNSPEC;
    }

    public int raw() {
        return ordinal();
    }
}
