package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SockfilterTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void reportsAUdpDatagramOnLoopbackWithItsAddressesAndPorts() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket decoyReceiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ExampleRun run = ExampleRun.start(
                        "sockfilter", "-p", "udp", "-P", Integer.toString(receiver.getLocalPort()), "lo")) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            byte[] payload = "sockfilter-marker".getBytes(StandardCharsets.US_ASCII);
            // Sent first, so its record would be in the ring buffer before the marker's if the port
            // filter let it through.
            sender.send(new DatagramPacket(payload, payload.length, LOOPBACK, decoyReceiver.getLocalPort()));
            sender.send(new DatagramPacket(payload, payload.length, LOOPBACK, receiver.getLocalPort()));

            String src = "127.0.0.1:" + sender.getLocalPort();
            String dst = "127.0.0.1:" + receiver.getLocalPort();
            String line = run.awaitLine(
                    l -> PacketLine.tryParse(l)
                            .filter(p -> p.direction().equals("in")
                                    && p.source().equals(src)
                                    && p.destination().equals(dst))
                            .isPresent(),
                    "incoming UDP marker " + src + " -> " + dst);
            PacketLine packet = PacketLine.parse(line);
            assertEquals("UDP", packet.protocol(), line);
            assertEquals(20 + 8 + payload.length, packet.ipLength(), "IPv4 + UDP header + payload: " + line);

            String decoy = "127.0.0.1:" + decoyReceiver.getLocalPort();
            assertFalse(
                    run.out().lines().stream()
                            .flatMap(l -> PacketLine.tryParse(l).stream())
                            .anyMatch(p -> p.destination().equals(decoy)),
                    "-P let another port through:\n" + run.out().text());
        }
    }

    @Test
    void reportsBothDirectionsOfATcpConnectionOnLoopback() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
                ExampleRun run = ExampleRun.start("sockfilter", "-p", "tcp")) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            int clientPort;
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort());
                    Socket accepted = server.accept()) {
                clientPort = client.getLocalPort();
                OutputStream out = client.getOutputStream();
                out.write(42);
                out.flush();
                InputStream in = accepted.getInputStream();
                assertEquals(42, in.read());
            }
            String client = "127.0.0.1:" + clientPort;
            String listener = "127.0.0.1:" + server.getLocalPort();
            PacketLine request = PacketLine.parse(run.awaitLine(
                    l -> PacketLine.tryParse(l)
                            .filter(p ->
                                    p.source().equals(client) && p.destination().equals(listener))
                            .isPresent(),
                    "TCP packet client -> server"));
            PacketLine reply = PacketLine.parse(run.awaitLine(
                    l -> PacketLine.tryParse(l)
                            .filter(p -> p.source().equals(listener)
                                    && p.destination().equals(client))
                            .isPresent(),
                    "TCP packet server -> client"));
            assertEquals("TCP", request.protocol());
            assertEquals("TCP", reply.protocol());
            assertTrue(request.ipLength() >= 40, "IPv4 + TCP headers at least: " + request);
        }
    }

    @Test
    void exitsAfterCountPackets() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ExampleRun run =
                        ExampleRun.start("sockfilter", "-c", "2", "-P", Integer.toString(receiver.getLocalPort()))) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            byte[] payload = {1};
            // On lo one datagram is seen twice: leaving and arriving.
            sender.send(new DatagramPacket(payload, payload.length, LOOPBACK, receiver.getLocalPort()));
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            List<PacketLine> packets = run.out().lines().stream()
                    .flatMap(l -> PacketLine.tryParse(l).stream())
                    .toList();
            assertEquals(
                    List.of("out", "in"),
                    packets.stream().map(PacketLine::direction).toList(),
                    run.out().text());
        }
    }

    @Test
    void anUnknownInterfaceIsAnErrorExit() throws Exception {
        try (ExampleRun run = ExampleRun.start("sockfilter", "nosuchif0")) {
            RunResult result = run.awaitExit();
            assertInstanceOf(RunResult.Exited.class, result);
            assertNotEquals(0, result.exitCode());
            assertTrue(
                    run.err().text().contains("Failed to attach the socket filter to nosuchif0"),
                    run.err().text());
        }
    }

    /** One packet line: TIME DIR PROTO SOURCE -> DESTINATION LEN TTL. */
    record PacketLine(String direction, String protocol, String source, String destination, int ipLength) {
        static Optional<PacketLine> tryParse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[4].equals("->")) {
                return Optional.empty();
            }
            return Optional.of(new PacketLine(f[1], f[2], f[3], f[5], Integer.parseInt(f[6])));
        }

        static PacketLine parse(String line) {
            return tryParse(line).orElseThrow(() -> new AssertionError("not a packet line: " + line));
        }
    }
}
