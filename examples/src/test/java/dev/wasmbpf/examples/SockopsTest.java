package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SockopsTest {
    /** IPv4, as the client script's /dev/tcp/127.0.0.1. */
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Run inside the cgroup: connects to port $1 on loopback and reads one line. */
    private static final String CONNECT_SCRIPT = """
            exec 3<>/dev/tcp/127.0.0.1/$1 || exit 5
            read -r reply <&3 || exit 6
            [ "$reply" = hello ] || exit 7
            """;

    @Test
    void reportsTheConnectAndEstablishmentOfAConnectionFromAProcessInTheCgroup() throws Exception {
        try (ChildCgroup cgroup = ChildCgroup.create("sockops");
                ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
                ExampleRun run = ExampleRun.start(
                        "sockops",
                        RunConfig.builder().args(cgroup.path().toString()).allowAttach(cgroup.root()))) {
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            Process client = cgroup.startInside(CONNECT_SCRIPT, Integer.toString(server.getLocalPort()));
            int clientPort;
            try (Socket accepted = server.accept();
                    OutputStream out = accepted.getOutputStream()) {
                clientPort = accepted.getPort();
                out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "client still running");
            String clientOutput = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, client.exitValue(), "client failed: " + clientOutput);

            // connect() runs in the client, so its event names it; the SYN-ACK arrives in softirq.
            Event connect = Event.of(run.awaitLine(
                    l -> Event.parse(l)
                            .filter(e -> e.op().equals("CONNECT") && e.localPort() == clientPort)
                            .isPresent(),
                    "CONNECT from port " + clientPort));
            assertEquals(client.pid(), connect.pid(), connect.toString());
            assertEquals("bash", connect.comm(), connect.toString());
            assertEquals("127.0.0.1", connect.remoteAddress(), connect.toString());
            assertEquals(server.getLocalPort(), connect.remotePort(), connect.toString());
            Event established = Event.of(run.awaitLine(
                    l -> Event.parse(l)
                            .filter(e -> e.op().equals("ACTIVE") && e.localPort() == clientPort)
                            .isPresent(),
                    "ACTIVE from port " + clientPort));
            assertEquals(server.getLocalPort(), established.remotePort(), established.toString());
            assertEquals(connect.cookie(), established.cookie(), "one socket: " + established);
            // The accepted socket belongs to this JVM's listener, outside the cgroup.
            assertTrue(
                    run.out().lines().stream()
                            .flatMap(l -> Event.parse(l).stream())
                            .noneMatch(e -> e.op().equals("PASSIVE")),
                    run.out().text());
        }
    }

    @Test
    void withoutAnArgumentAttachesToTheCgroup2MountReadFromMountinfo() throws Exception {
        Path root;
        try (ChildCgroup probe = ChildCgroup.create("sockops-root")) {
            root = probe.root();
        }
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
                ExampleRun run = ExampleRun.start(
                        "sockops",
                        RunConfig.builder()
                                .preopen(Path.of("/proc/self"), "/proc/self")
                                .allowAttach(root))) {
            run.awaitLine(
                    line -> line.equals("Tracing TCP connections of cgroup " + root + ", Ctrl-C to stop."),
                    "the mount point " + root);
            run.awaitLine(line -> line.startsWith("TIME "), "header");
            // Both ends are this JVM's, which lives somewhere under the root: both establishments are seen.
            int clientPort;
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort());
                    Socket accepted = server.accept()) {
                clientPort = client.getLocalPort();
            }
            run.awaitLine(
                    l -> Event.parse(l)
                            .filter(e -> e.op().equals("ACTIVE")
                                    && e.localPort() == clientPort
                                    && e.remotePort() == server.getLocalPort())
                            .isPresent(),
                    "ACTIVE from port " + clientPort);
            run.awaitLine(
                    l -> Event.parse(l)
                            .filter(e -> e.op().equals("PASSIVE")
                                    && e.localPort() == server.getLocalPort()
                                    && e.remotePort() == clientPort)
                            .isPresent(),
                    "PASSIVE to port " + server.getLocalPort());
        }
    }

    @Test
    void aMissingCgroupIsAnErrorExit() throws Exception {
        Path missing;
        try (ChildCgroup probe = ChildCgroup.create("sockops-missing")) {
            missing = probe.path();
        }
        try (ExampleRun run = ExampleRun.start(
                "sockops", RunConfig.builder().args(missing.toString()).allowAttach(missing.getParent()))) {
            assertEquals(new RunResult.Exited(1), run.awaitExit());
            assertTrue(
                    run.err().text().contains("Failed to attach to cgroup " + missing + ": No such file or directory"),
                    run.err().text());
        }
    }

    /** One event line: TIME OP PID COMM LADDR LPORT RADDR RPORT COOKIE. */
    record Event(
            String op,
            long pid,
            String comm,
            String localAddress,
            int localPort,
            String remoteAddress,
            int remotePort,
            String cookie) {
        static Optional<Event> parse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 9 || !f[5].matches("\\d+") || !f[7].matches("\\d+") || !f[2].matches("\\d+")) {
                return Optional.empty();
            }
            return Optional.of(new Event(
                    f[1],
                    Long.parseLong(f[2]),
                    f[3],
                    f[4],
                    Integer.parseInt(f[5]),
                    f[6],
                    Integer.parseInt(f[7]),
                    f[8]));
        }

        static Event of(String line) {
            return parse(line).orElseThrow();
        }
    }
}
