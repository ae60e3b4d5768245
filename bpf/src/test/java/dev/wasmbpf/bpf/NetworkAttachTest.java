package dev.wasmbpf.bpf;

import static dev.wasmbpf.bpf.testing.KernelTestSupport.awaitCondition;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.cgroup2Root;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireFeature;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.requireKernel;
import static dev.wasmbpf.bpf.testing.KernelTestSupport.testObject;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.link.BpfLink;
import dev.wasmbpf.bpf.link.Cgroup;
import dev.wasmbpf.bpf.link.SocketFilter;
import dev.wasmbpf.bpf.link.Tc;
import dev.wasmbpf.bpf.link.Xdp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Networking attach kinds on {@code lo}, each proven by the packets its program counts. */
class NetworkAttachTest {
    /** enum counter in src/test/c/net.bpf.c. */
    private static final int SOCKET_UDP_TO_PORT = 0;

    private static final int XDP_SEEN = 1;
    private static final int CGROUP_EGRESS_SEEN = 2;
    private static final int TC_SEEN = 3;

    private BpfObject object;
    private Arena arena;
    private DatagramSocket receiver;
    private DatagramSocket sender;

    @BeforeEach
    void load() throws Exception {
        requireKernel();
        object = BpfObject.open(testObject("net"), "net_test");
        object.load();
        arena = Arena.ofConfined();
        receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        sender = new DatagramSocket();
        // Every program counts only datagrams to this test's own port.
        assertEquals(
                0,
                object.map("udp_port")
                        .orElseThrow()
                        .update(
                                arena.allocateFrom(JAVA_INT, 0),
                                arena.allocateFrom(JAVA_INT, receiver.getLocalPort()),
                                0));
    }

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (arena != null) {
            arena.close();
        }
        if (object != null) {
            object.close();
        }
    }

    @Test
    void socketFilterOnLoSeesOurUdpPacket() throws Exception {
        try (BpfLink link = SocketFilter.attach(object.program("count_udp").orElseThrow(), "lo")) {
            assertTrue(link.description().contains("lo"), link.description());
            awaitCondition("the socket filter counting our datagram", () -> {
                sendDatagram();
                return counter(SOCKET_UDP_TO_PORT) > 0;
            });
        }
    }

    @Test
    void xdpOnLoSeesPacketsAndDetaches() throws Exception {
        BpfProgram xdp = object.program("count_xdp").orElseThrow();
        BpfLink link = Xdp.attach(xdp, "lo");
        awaitCondition("XDP counting packets on lo", () -> {
            sendDatagram();
            return counter(XDP_SEEN) > 0;
        });
        link.close();
        link.close();
        // An XDP link is exclusive: attaching again only works if the first one was detached.
        try (BpfLink again = Xdp.attach(xdp, "lo")) {
            assertTrue(again.description().contains("XDP"), again.description());
        }
    }

    @Test
    void tcIngressOnLoSeesPackets() throws Exception {
        try (BpfLink link = Tc.attach(object.program("count_tc").orElseThrow(), "lo")) {
            assertTrue(link.description().contains("ingress"), link.description());
            awaitCondition("the tc filter counting packets on lo", () -> {
                sendDatagram();
                return counter(TC_SEEN) > 0;
            });
        }
    }

    @Test
    void cgroupSkbOnTheCgroup2RootSeesOurEgress() throws Exception {
        Optional<Path> root = cgroup2Root();
        requireFeature("a cgroup v2 mount (/proc/self/mountinfo)", root.isPresent());
        try (BpfLink link = Cgroup.attach(object.program("count_cgroup_egress").orElseThrow(), root.get())) {
            assertTrue(link.description().contains(root.get().toString()), link.description());
            awaitCondition("cgroup_skb/egress counting our datagram", () -> {
                sendDatagram();
                return counter(CGROUP_EGRESS_SEEN) > 0;
            });
        }
    }

    @Test
    void cgroupAttachToAMissingDirectoryIsEnoent() {
        BpfProgram program = object.program("count_cgroup_egress").orElseThrow();
        BpfException e = org.junit.jupiter.api.Assertions.assertThrows(
                BpfException.class, () -> program.attachCgroup(Path.of("/nonexistent/cgroup")));
        assertEquals(Errno.ENOENT, e.errno());
    }

    private void sendDatagram() {
        try {
            byte[] payload = "wasm-bpf".getBytes();
            sender.send(new DatagramPacket(
                    payload, payload.length, InetAddress.getLoopbackAddress(), receiver.getLocalPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long counter(int which) {
        MemorySegment key = arena.allocateFrom(JAVA_INT, which);
        MemorySegment value = arena.allocate(JAVA_LONG);
        assertEquals(0, object.map("packets").orElseThrow().lookup(key, value));
        return value.get(JAVA_LONG, 0);
    }
}
