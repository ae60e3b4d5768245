package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CgroupcountTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int DATAGRAMS = 12;
    private static final int OUTSIDE_DATAGRAMS = 50;
    private static final String PAYLOAD = "cgroupcount";

    /**
     * Run inside the cgroup: sends $3 UDP datagrams to port $1, then opens a TCP connection to port $2
     * and reads one line: egress traffic, and ingress on a socket of the cgroup.
     */
    private static final String TRAFFIC_SCRIPT = """
            for ((i = 0; i < $3; i++)); do printf '%s' "$4" > /dev/udp/127.0.0.1/$1 || exit 4; done
            exec 3<>/dev/tcp/127.0.0.1/$2 || exit 5
            read -r reply <&3 || exit 6
            [ "$reply" = hello ] || exit 7
            """;

    @Test
    void countsTheTrafficOfAProcessInAFreshChildCgroup() throws Exception {
        try (ChildCgroup cgroup = ChildCgroup.create("cgroupcount");
                DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
                ExampleRun run = ExampleRun.start(
                        "cgroupcount",
                        RunConfig.builder().args(cgroup.path().toString(), "1").allowAttach(cgroup.root()))) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> answerOnce(server));
            // This JVM is not in the cgroup: its datagrams, sent first, must not be counted.
            try (DatagramSocket outsider = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                byte[] payload = PAYLOAD.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < OUTSIDE_DATAGRAMS; i++) {
                    outsider.send(new DatagramPacket(payload, payload.length, LOOPBACK, receiver.getLocalPort()));
                }
            }

            Process traffic = cgroup.startInside(
                    TRAFFIC_SCRIPT,
                    Integer.toString(receiver.getLocalPort()),
                    Integer.toString(server.getLocalPort()),
                    Integer.toString(DATAGRAMS),
                    PAYLOAD);
            assertTrue(traffic.waitFor(30, TimeUnit.SECONDS), "traffic generator still running");
            String trafficOutput = new String(traffic.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, traffic.exitValue(), "traffic generator failed: " + trafficOutput);
            answer.get(30, TimeUnit.SECONDS);

            // The UDP datagrams plus the TCP client's SYN and ACKs; nobody else lives in this cgroup.
            String egress = run.awaitLine(
                    l -> Count.parse(l, "egress")
                            .filter(c -> c.packets() >= DATAGRAMS + 2)
                            .isPresent(),
                    "egress count of " + (DATAGRAMS + 2));
            Count sent = Count.parse(egress, "egress").orElseThrow();
            assertTrue(sent.packets() < OUTSIDE_DATAGRAMS, "traffic from outside the cgroup was counted: " + egress);
            assertTrue(
                    sent.bytes() >= (long) DATAGRAMS * (20 + 8 + PAYLOAD.length()),
                    "IPv4 + UDP + payload per datagram at least: " + egress);
            // The SYN-ACK and the "hello" line reach the client's socket, which is in the cgroup.
            String ingress = run.awaitLine(
                    l -> Count.parse(l, "ingress").filter(c -> c.packets() >= 2).isPresent(), "ingress count of 2");
            assertTrue(Count.parse(ingress, "ingress").orElseThrow().bytes() >= 2 * 40, ingress);
        }
    }

    @Test
    void aCgroupOutsideTheAllowedPathsIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("wasmbpf-not-a-cgroup-");
        try (ExampleRun run = ExampleRun.start("cgroupcount", outside.toString())) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(
                    run.err().text().contains("Failed to attach to cgroup " + outside + ": Permission denied"),
                    run.err().text());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aMissingCgroupArgumentIsAUsageError() throws Exception {
        try (ExampleRun run = ExampleRun.start("cgroupcount")) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(
                    run.err().text().contains("Missing the cgroup directory"),
                    run.err().text());
            assertTrue(run.err().text().contains("Usage:"), run.err().text());
        }
    }

    private static void answerOnce(ServerSocket server) {
        try (Socket client = server.accept();
                OutputStream out = client.getOutputStream()) {
            out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One report line: TIME DIR PACKETS BYTES. */
    record Count(long packets, long bytes) {
        static Optional<Count> parse(String line, String direction) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 4 || !f[1].equals(direction)) {
                return Optional.empty();
            }
            return Optional.of(new Count(Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
    }
}
