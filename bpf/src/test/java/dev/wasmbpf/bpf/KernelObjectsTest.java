package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.cgroup2Root;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.tracefsMounted;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.perf.PerfBufferPoller;
import dev.wasmbpf.bpf.ringbuf.RingBufferPoller;
import dev.wasmbpf.bpf.testing.KernelTestSupport;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Closing objects releases every kernel object they made. Other processes may load BPF objects
 * meanwhile, so the check is on the ids of our own programs and maps.
 */
class KernelObjectsTest {
    @Test
    void closingObjectsLeavesNothingOfOursInTheKernel() throws Exception {
        requireKernel();
        // Every attach kind is part of the check: an environment without one skips (or fails), never narrows it.
        KernelTestSupport.requireFeature("a cgroup v2 mount", cgroup2Root().isPresent());
        KernelTestSupport.requireFeature("tracefs", tracefsMounted());
        KernelObjects before = KernelObjects.snapshot();
        Set<Integer> programIds = new HashSet<>();
        Set<Integer> mapIds = new HashSet<>();

        try (BpfObject net = BpfObject.open(testObject("net"), "net_leak");
                BpfObject ring = BpfObject.open(testObject("exec_ringbuf"), "ring_leak");
                BpfObject perf = BpfObject.open(testObject("exec_perf"), "perf_leak")) {
            for (BpfObject object : new BpfObject[] {net, ring, perf}) {
                object.load();
                object.programs().forEach(p -> programIds.add(p.id()));
                object.maps().forEach(m -> mapIds.add(m.id()));
            }
            net.program("count_udp").orElseThrow().attachSocketFilter("lo");
            net.program("count_xdp").orElseThrow().attachXdp("lo");
            net.program("count_tc").orElseThrow().attachTc("lo");
            attachCgroup(net, cgroup2Root().orElseThrow());
            ring.program("handle_exec").orElseThrow().attach();
            perf.program("handle_exec").orElseThrow().attach();
            // Pollers closed before their objects, as the runtime does; left open is covered by close order.
            RingBufferPoller.create(ring.map("events").orElseThrow(), s -> 0).close();
            PerfBufferPoller.create(perf.map("events").orElseThrow(), 4, s -> 0).close();

            KernelObjects ours = KernelObjects.snapshot().minus(before);
            assertTrue(ours.programIds().containsAll(programIds), ours + " lacks programs " + programIds);
            assertTrue(ours.mapIds().containsAll(mapIds), ours + " lacks maps " + mapIds);
            assertFalse(ours.linkIds().isEmpty(), "XDP and cgroup attachments are BPF links");
        }

        // Programs free their maps after an RCU grace period: wait for it rather than race it.
        awaitCondition("our programs and maps to leave the kernel", () -> {
            KernelObjects now = KernelObjects.snapshot();
            return Collections.disjoint(now.programIds(), programIds) && Collections.disjoint(now.mapIds(), mapIds);
        });
    }

    @Test
    void minusShowsWhatIsNew() throws Exception {
        requireKernel();
        KernelObjects before = KernelObjects.snapshot();
        try (BpfObject object = BpfObject.open(testObject("maps"), "maps_diff")) {
            object.load();
            KernelObjects added = KernelObjects.snapshot().minus(before);
            assertTrue(added.programIds()
                    .contains(object.program("touch_maps").orElseThrow().id()));
            assertTrue(
                    added.mapIds().contains(object.map("counts").orElseThrow().id()));
            assertTrue(before.minus(before).isEmpty());
        }
    }

    private static void attachCgroup(BpfObject net, java.nio.file.Path root) {
        try {
            net.program("count_cgroup_egress").orElseThrow().attachCgroup(root);
        } catch (BpfException e) {
            throw new AssertionError(e);
        }
    }
}
