package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import dev.wasmbpf.testkit.MarkerProgram;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream wasm-bpf's guest C API on the kernel, through compatapi (src/test/c/compat: a guest of our own
 * written in upstream's style and built with C's type errors on), one behaviour per test. The two-step
 * commands print READY and then wait for the test to create /sync/go, so it acts in between.
 */
class CompatApiTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int DATAGRAMS = 7;

    @Test
    void aPerfEventArrayOpenedWithBpfBufferOpenKeepsTheSamplesMadeBeforeTheFirstPoll() throws Exception {
        try (Handshake sync = new Handshake();
                ExampleRun run = start(RunConfig.builder().args("perf", "4242").preopen(sync.dir(), "/sync"))) {
            run.awaitLine("READY"::equals, "READY");
            // The exec happens, and its sample is written, while the guest has not polled yet.
            MarkerProgram.Ran marker = MarkerProgram.execOnce("cmpperf");
            sync.go();
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            String sample = "SAMPLE " + marker.pid() + " " + marker.name() + " 4242";
            assertTrue(
                    run.out().lines().contains(sample),
                    "no '" + sample + "' (tag from .rodata):\n" + run.out().text());
        }
    }

    @Test
    void bpfMapGetNextKeyFromNullVisitsEveryEntryOnceAndEndsWithEnoent() throws Exception {
        try (ExampleRun run = start(RunConfig.builder().args("iterate", "1=10", "2=20", "3=30", "5=50"))) {
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            // Key 1 was deleted after the updates; hash order is the kernel's, so compare as a set.
            List<String> entries = run.out().lines().stream()
                    .filter(l -> l.startsWith("ENTRY "))
                    .sorted()
                    .toList();
            assertEquals(
                    List.of("ENTRY 2 20", "ENTRY 3 30", "ENTRY 5 50"),
                    entries,
                    run.out().text());
            assertTrue(run.out().lines().contains("END 3"), run.out().text());
        }
    }

    @Test
    void bpfSetProgAttachTargetWithAnInterfaceNameAttachesXdpThere() throws Exception {
        XdpTest.awaitLoopbackFreeOfXdp();
        try (Handshake sync = new Handshake();
                DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ExampleRun run = start(RunConfig.builder()
                        .args("xdp", "lo", Integer.toString(receiver.getLocalPort()))
                        .preopen(sync.dir(), "/sync"))) {
            run.awaitLine("READY"::equals, "READY");
            assertTrue(XdpTest.xdpOnLoopback(), "no XDP program on lo while attached");
            try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                sendAndReceive(sender, receiver, DATAGRAMS);
            }
            sync.go();
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            // Only datagrams to the receiver's port (from .rodata) count: exactly ours.
            assertTrue(
                    run.out().lines().contains("COUNT " + DATAGRAMS), run.out().text());
        }
        assertFalse(XdpTest.xdpOnLoopback(), "XDP program left on lo");
    }

    @Test
    void bpfSetProgAttachTargetWithACgroupDirectoryAttachesTheCgroupProgramThere() throws Exception {
        try (Handshake sync = new Handshake();
                ChildCgroup cgroup = ChildCgroup.create("compatapi");
                DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ExampleRun run = start(RunConfig.builder()
                        .args("cgroup", cgroup.path().toString(), Integer.toString(receiver.getLocalPort()))
                        .allowAttach(cgroup.root())
                        .preopen(sync.dir(), "/sync"))) {
            run.awaitLine("READY"::equals, "READY");
            // This JVM is outside the cgroup: its datagrams to the same port must not count.
            try (DatagramSocket outsider = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                sendAndReceive(outsider, receiver, DATAGRAMS * 3);
            }
            Process inside =
                    cgroup.startInside("""
                    for ((i = 0; i < $2; i++)); do printf x > /dev/udp/127.0.0.1/$1 || exit 4; done
                    """, Integer.toString(receiver.getLocalPort()), Integer.toString(DATAGRAMS));
            assertTrue(inside.waitFor(30, TimeUnit.SECONDS), "sender still running");
            assertEquals(
                    0, inside.exitValue(), new String(inside.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            receive(receiver, DATAGRAMS);
            sync.go();
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            assertTrue(
                    run.out().lines().contains("COUNT " + DATAGRAMS), run.out().text());
        }
    }

    /** Errors come back as upstream's callers test them: NULL for pointers, negative for ints. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "bpf_buffer__open(hash map): NULL",
                "bpf_map_lookup_elem(missing key): -ENOENT",
                "bpf_map_delete_elem(missing key): -ENOENT",
                "bpf_map_get_next_key(empty map): -ENOENT",
                "attach xdp to nosuchif0: negative",
                "attach cgroup_skb to MISSING: negative",
            })
    void anErrorIsReturnedAsUpstreamsCallersCheckIt(String expected) throws Exception {
        Path missing;
        Path root;
        try (ChildCgroup probe = ChildCgroup.create("compatapi-missing")) {
            missing = probe.path();
            root = probe.root();
        }
        assertFalse(Files.exists(missing));
        try (ExampleRun run = start(RunConfig.builder()
                .args("errors", "nosuchif0", missing.toString())
                .allowAttach(root))) {
            assertEquals(new RunResult.Exited(0), run.awaitExit(), run.err().text());
            String line = expected.replace("MISSING", missing.toString());
            assertTrue(
                    run.out().lines().stream().anyMatch(l -> l.equals(line) || l.startsWith(line + " (")),
                    "no '" + line + "' in:\n" + run.out().text());
        }
    }

    /** A directory preopened as /sync: the guest waits after READY until the test creates "go" in it. */
    private record Handshake(Path dir) implements AutoCloseable {
        Handshake() throws IOException {
            this(Files.createTempDirectory("wasmbpf-compatapi-"));
        }

        void go() throws IOException {
            Files.writeString(dir.resolve("go"), "go");
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(dir.resolve("go"));
            Files.delete(dir);
        }
    }

    private static ExampleRun start(RunConfig.Builder config) throws Exception {
        Path guest = Path.of(System.getProperty("wasmbpf.examples.test.guests", "target/test-guests"))
                .resolve("compatapi.wasm");
        assertTrue(Files.exists(guest), "test guest not built: " + guest);
        return ExampleRun.start("compatapi", guest, config);
    }

    /** Sends {@code n} datagrams and reads them back, so every one has passed the hooks. */
    private static void sendAndReceive(DatagramSocket sender, DatagramSocket receiver, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            sender.send(new DatagramPacket(new byte[] {'x'}, 1, LOOPBACK, receiver.getLocalPort()));
        }
        receive(receiver, n);
    }

    private static void receive(DatagramSocket receiver, int n) throws IOException {
        receiver.setSoTimeout(30_000);
        for (int i = 0; i < n; i++) {
            receiver.receive(new DatagramPacket(new byte[16], 16));
        }
    }
}
