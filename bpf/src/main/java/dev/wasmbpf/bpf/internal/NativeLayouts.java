package dev.wasmbpf.bpf.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;

/**
 * The C structs this layer fills in for libbpf and the kernel, in one place, each with the header it mirrors
 * (x86_64, libbpf 1.1 as Debian 12 ships it). An options struct's {@code sz} must hold its size: libbpf reads no
 * further than that, which is what lets an older layout work with a newer libbpf.
 */
public final class NativeLayouts {
    private NativeLayouts() {}

    /** {@code struct bpf_object_open_opts}, {@code /usr/include/bpf/libbpf.h}. */
    public static final StructLayout OPEN_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("object_name"),
            JAVA_BOOLEAN.withName("relaxed_maps"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("pin_root_path"),
            JAVA_INT.withName("removed_attach_prog_fd"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("kconfig"),
            ADDRESS.withName("btf_custom_path"),
            ADDRESS.withName("kernel_log_buf"),
            JAVA_LONG.withName("kernel_log_size"),
            JAVA_INT.withName("kernel_log_level"),
            MemoryLayout.paddingLayout(4));

    /** {@code struct bpf_uprobe_opts}, {@code /usr/include/bpf/libbpf.h}. */
    public static final StructLayout UPROBE_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_LONG.withName("ref_ctr_offset"),
            JAVA_LONG.withName("bpf_cookie"),
            JAVA_BOOLEAN.withName("retprobe"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("func_name"));

    /** {@code struct bpf_tc_hook}, {@code /usr/include/bpf/libbpf.h}. */
    public static final StructLayout TC_HOOK = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("attach_point"),
            JAVA_INT.withName("parent"),
            MemoryLayout.paddingLayout(4));

    /** {@code struct bpf_tc_opts}, {@code /usr/include/bpf/libbpf.h}. */
    public static final StructLayout TC_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_INT.withName("prog_fd"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("prog_id"),
            JAVA_INT.withName("handle"),
            JAVA_INT.withName("priority"),
            MemoryLayout.paddingLayout(4));

    /** {@code struct sockaddr_ll}, {@code linux/if_packet.h}; {@code sll_protocol} is in network byte order. */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            MemoryLayout.sequenceLayout(2, JAVA_BYTE).withName("sll_pkttype_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));

    /**
     * {@code struct perf_event_attr} as first published ({@code PERF_ATTR_SIZE_VER0}, 64 bytes),
     * {@code include/uapi/linux/perf_event.h}; its {@code size} field tells the kernel which version it gets.
     */
    public static final StructLayout PERF_EVENT_ATTR_VER0 = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("size"),
            JAVA_LONG.withName("config"),
            JAVA_LONG.withName("sample_period"),
            JAVA_LONG.withName("sample_type"),
            JAVA_LONG.withName("read_format"),
            JAVA_LONG.withName("flags"),
            JAVA_INT.withName("wakeup_events"),
            JAVA_INT.withName("bp_type"),
            JAVA_LONG.withName("config1"));

    /** {@code struct perf_event_header}, {@code include/uapi/linux/perf_event.h}: how each ring record starts. */
    public static final StructLayout PERF_EVENT_HEADER = MemoryLayout.structLayout(
            JAVA_INT.withName("type"), JAVA_SHORT.withName("misc"), JAVA_SHORT.withName("size"));

    /**
     * x86_64 SysV {@code va_list}: {@code struct __va_list_tag[1]} (System V AMD64 ABI, 3.5.7), passed as a pointer
     * to libbpf's print callback; copying its 24 bytes is {@code va_copy}.
     */
    public static final StructLayout VA_LIST = MemoryLayout.structLayout(
            JAVA_INT.withName("gp_offset"),
            JAVA_INT.withName("fp_offset"),
            ADDRESS.withName("overflow_arg_area"),
            ADDRESS.withName("reg_save_area"));

    /** The byte offset of {@code field} in {@code layout}. */
    public static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
