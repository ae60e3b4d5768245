package dev.wasmbpf.bpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The layouts' sizes and the offsets the kernel fixes, against the numbers in the headers they mirror
 * ({@code PERF_ATTR_SIZE_VER0} in {@code linux/perf_event.h}, {@code sizeof(struct sockaddr_ll)} = 20, x86_64
 * {@code sizeof(va_list)} = 24): a field added, dropped or mis-sized in a layout moves one of them.
 */
class NativeLayoutsTest {
    @Test
    void perfEventAttrIsTheFirstPublishedVersion() {
        assertEquals(64, NativeLayouts.PERF_EVENT_ATTR_VER0.byteSize());
        assertEquals(24, NativeLayouts.offset(NativeLayouts.PERF_EVENT_ATTR_VER0, "sample_type"));
        assertEquals(48, NativeLayouts.offset(NativeLayouts.PERF_EVENT_ATTR_VER0, "wakeup_events"));
        assertEquals(6, NativeLayouts.offset(NativeLayouts.PERF_EVENT_HEADER, "size"));
        assertEquals(8, NativeLayouts.PERF_EVENT_HEADER.byteSize());
    }

    @Test
    void socketAndVarargsLayoutsHaveTheirCSizes() {
        assertEquals(20, NativeLayouts.SOCKADDR_LL.byteSize());
        assertEquals(4, NativeLayouts.offset(NativeLayouts.SOCKADDR_LL, "sll_ifindex"));
        assertEquals(24, NativeLayouts.VA_LIST.byteSize());
    }
}
