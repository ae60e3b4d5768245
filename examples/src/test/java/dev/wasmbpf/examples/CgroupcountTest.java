package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CgroupcountTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int DATAGRAMS = 12;
    private static final int OUTSIDE_DATAGRAMS = 50;
    private static final String PAYLOAD = "cgroupcount";

    /**
     * Moves itself into the cgroup ($1), sends $4 UDP datagrams to port $2, then opens a TCP
     * connection to port $3 and reads one line: egress traffic, and ingress on a socket of the cgroup.
     */
    private static final String TRAFFIC_SCRIPT = """
            echo $$ > "$1" || exit 3
            for ((i = 0; i < $4; i++)); do printf '%s' "$5" > /dev/udp/127.0.0.1/$2 || exit 4; done
            exec 3<>/dev/tcp/127.0.0.1/$3 || exit 5
            read -r reply <&3 || exit 6
            [ "$reply" = hello ] || exit 7
            """;

    @Test
    void countsTheTrafficOfAProcessInAFreshChildCgroup() throws Exception {
        Path root = cgroup2Root();
        Path bash = bash();
        Path cgroup = Files.createDirectory(root.resolve("wasmbpf-cgroupcount-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime()));
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
                ExampleRun run = ExampleRun.start("cgroupcount",
                        RunConfig.builder().args(cgroup.toString(), "1").allowAttach(root))) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> answerOnce(server));
            // This JVM is not in the cgroup: its datagrams, sent first, must not be counted.
            try (DatagramSocket outsider = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                byte[] payload = PAYLOAD.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < OUTSIDE_DATAGRAMS; i++) {
                    outsider.send(new DatagramPacket(payload, payload.length, LOOPBACK, receiver.getLocalPort()));
                }
            }

            Process traffic = new ProcessBuilder(bash.toString(), "-c", TRAFFIC_SCRIPT, "traffic",
                    cgroup.resolve("cgroup.procs").toString(), Integer.toString(receiver.getLocalPort()),
                    Integer.toString(server.getLocalPort()), Integer.toString(DATAGRAMS), PAYLOAD)
                    .redirectErrorStream(true).start();
            assertTrue(traffic.waitFor(30, TimeUnit.SECONDS), "traffic generator still running");
            String trafficOutput = new String(traffic.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, traffic.exitValue(), "traffic generator failed: " + trafficOutput);
            answer.get(30, TimeUnit.SECONDS);

            // The UDP datagrams plus the TCP client's SYN and ACKs; nobody else lives in this cgroup.
            String egress = run.awaitLine(l -> Count.parse(l, "egress")
                    .filter(c -> c.packets() >= DATAGRAMS + 2).isPresent(), "egress count of " + (DATAGRAMS + 2));
            Count sent = Count.parse(egress, "egress").orElseThrow();
            assertTrue(sent.packets() < OUTSIDE_DATAGRAMS, "traffic from outside the cgroup was counted: " + egress);
            assertTrue(sent.bytes() >= (long) DATAGRAMS * (20 + 8 + PAYLOAD.length()),
                    "IPv4 + UDP + payload per datagram at least: " + egress);
            // The SYN-ACK and the "hello" line reach the client's socket, which is in the cgroup.
            String ingress = run.awaitLine(l -> Count.parse(l, "ingress")
                    .filter(c -> c.packets() >= 2).isPresent(), "ingress count of 2");
            assertTrue(Count.parse(ingress, "ingress").orElseThrow().bytes() >= 2 * 40, ingress);
        } finally {
            removeCgroup(cgroup);
        }
    }

    @Test
    void aCgroupOutsideTheAllowedPathsIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("wasmbpf-not-a-cgroup-");
        try (ExampleRun run = ExampleRun.start("cgroupcount", outside.toString())) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(run.err().text().contains("Failed to attach to cgroup " + outside + ": Permission denied"),
                    run.err().text());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aMissingCgroupArgumentIsAUsageError() throws Exception {
        try (ExampleRun run = ExampleRun.start("cgroupcount")) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(run.err().text().contains("Missing the cgroup directory"), run.err().text());
            assertTrue(run.err().text().contains("Usage:"), run.err().text());
        }
    }

    private static void answerOnce(ServerSocket server) {
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path cgroup2Root() {
        Optional<Path> root = KernelTestSupport.cgroup2Root();
        KernelTestSupport.requireFeature("a mounted cgroup v2 hierarchy", root.isPresent());
        return root.orElseThrow();
    }

    /** bash, for its /dev/udp and /dev/tcp redirections: the traffic comes from a process we can move. */
    private static Path bash() {
        Optional<Path> bash = Stream.of("/bin/bash", "/usr/bin/bash").map(Path::of).filter(Files::isExecutable)
                .findFirst();
        KernelTestSupport.requireFeature("bash (traffic generator)", bash.isPresent());
        return bash.orElseThrow();
    }

    /** A cgroup whose last process just exited can be briefly busy: retry the rmdir. */
    private static void removeCgroup(Path cgroup) {
        KernelTestSupport.awaitCondition("removal of " + cgroup, () -> {
            try {
                Files.deleteIfExists(cgroup);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
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
