package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class XdpTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int DATAGRAMS = 25;
    private static final int PAYLOAD = 100;
    /** Ethernet (lo has a zeroed one) + IPv4 + UDP headers: what XDP sees around the payload. */
    private static final int FRAME_OVERHEAD = 14 + 20 + 8;

    @Test
    void countsTheUdpDatagramsSentOnLoopbackAndDetachesAtTheEnd() throws Exception {
        awaitLoopbackFreeOfXdp();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ExampleRun run = ExampleRun.start("xdp", "lo", "1")) {
            // Printed after attach, when every counter is still zero since load.
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            assertTrue(xdpOnLoopback(), "no XDP program on lo while running");

            byte[] payload = new byte[PAYLOAD];
            for (int i = 0; i < DATAGRAMS; i++) {
                sender.send(new DatagramPacket(payload, payload.length, LOOPBACK, receiver.getLocalPort()));
            }
            // Other UDP traffic on lo can only add to the counts.
            String line = run.awaitLine(
                    l -> {
                        Optional<Count> udp = Count.parse(l, "UDP");
                        return udp.isPresent() && udp.get().packets() >= DATAGRAMS;
                    },
                    "UDP count of at least " + DATAGRAMS);
            Count udp = Count.parse(line, "UDP").orElseThrow();
            assertTrue(
                    udp.bytes() >= (long) DATAGRAMS * (FRAME_OVERHEAD + PAYLOAD),
                    "bytes of " + DATAGRAMS + " frames of " + (FRAME_OVERHEAD + PAYLOAD) + ": " + line);
        }
        assertFalse(xdpOnLoopback(), "XDP program left on lo");
    }

    @Test
    void exitsByItselfAfterCountReports() throws Exception {
        awaitLoopbackFreeOfXdp();
        try (ExampleRun run = ExampleRun.start("xdp", "lo", "1", "2")) {
            RunResult result = run.awaitExit();
            assertEquals(new RunResult.Exited(0), result, run.err().text());
            List<String> lines = run.out().lines();
            long reports = lines.stream().filter(String::isEmpty).count();
            assertEquals(
                    2, reports, "one blank line ends each report:\n" + run.out().text());
        }
        assertFalse(xdpOnLoopback(), "XDP program left on lo");
    }

    @Test
    void badArgumentsAreAnErrorExit() throws Exception {
        try (ExampleRun run = ExampleRun.start("xdp", "nosuchif0")) {
            RunResult result = run.awaitExit();
            assertInstanceOf(RunResult.Exited.class, result);
            assertEquals(1, result.exitCode());
            assertTrue(
                    run.err().text().contains("Failed to attach XDP program to nosuchif0"),
                    run.err().text());
        }
        try (ExampleRun run = ExampleRun.start("xdp", "lo", "0")) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(
                    run.err().text().contains("Invalid interval: 0"), run.err().text());
        }
    }

    /**
     * An interface holds one XDP program: another user of lo on a shared machine (the bpf module's
     * tests, say) would make the attach fail with EBUSY, so wait for it to finish first.
     */
    static void awaitLoopbackFreeOfXdp() {
        KernelTestSupport.awaitCondition("lo without another XDP program", () -> {
            try {
                return !xdpOnLoopback();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /**
     * Whether `ip link show lo` lists an XDP program. The XDP attachment outlives the fds that made it, so this
     * check sees a missing detach even after the run; without `ip` it cannot look, and the test skips (or fails
     * under WASM_BPF_REQUIRE_KERNEL=1) rather than pass unchecked.
     */
    static boolean xdpOnLoopback() throws IOException, InterruptedException {
        Optional<Path> ip = Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        KernelTestSupport.requireFeature("ip (iproute2), to see XDP attachments", ip.isPresent());
        Process process = new ProcessBuilder(ip.get().toString(), "link", "show", "lo")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output.contains("xdp");
    }

    /** One report line: TIME PROTO PACKETS BYTES. */
    record Count(long packets, long bytes) {
        static Optional<Count> parse(String line, String protocol) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 4 || !f[1].equals(protocol)) {
                return Optional.empty();
            }
            return Optional.of(new Count(Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
    }
}
