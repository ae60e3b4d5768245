package dev.wasmbpf.oci.testing;

import dev.wasmbpf.testkit.Prerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OCI registry for tests: Debian's docker-registry (CNCF distribution) serving plain HTTP on
 * 127.0.0.1 at a free port, with its own storage directory, optionally behind htpasswd basic auth.
 * Absent binary: the test is skipped with the reason, or fails when WASM_BPF_REQUIRE_KERNEL=1
 * (CI installs the package, so its absence there is a broken setup, not a reason to skip).
 */
public final class LocalRegistry implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final int port;

    private LocalRegistry(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** An open registry (no authentication). */
    public static LocalRegistry start() throws Exception {
        return start(Optional.empty(), Optional.empty());
    }

    /** A registry that requires basic auth as {@code user}/{@code password}. */
    public static LocalRegistry startWithLogin(String user, String password) throws Exception {
        return start(Optional.of(user), Optional.of(password));
    }

    private static LocalRegistry start(Optional<String> user, Optional<String> password) throws Exception {
        requireTool("docker-registry", BINARY, "apt-get install docker-registry");
        Path dir = Files.createTempDirectory("wasmbpf-registry-");
        StringBuilder config = new StringBuilder();
        int port = freePort();
        config.append("version: 0.1\n")
                .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ")
                .append(dir.resolve("storage"))
                .append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:")
                .append(port)
                .append('\n');
        if (user.isPresent()) {
            String hash = OpenBSDBCrypt.generate("2y", password.orElseThrow().toCharArray(), salt(), 5);
            Files.writeString(dir.resolve("htpasswd"), user.get() + ":" + hash + "\n");
            config.append("auth:\n  htpasswd:\n    realm: wasm-bpf-test\n    path: ")
                    .append(dir.resolve("htpasswd"))
                    .append('\n');
        }
        Path configFile = Files.writeString(dir.resolve("config.yml"), config.toString());
        Process process = new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(process, dir, port);
        try {
            registry.awaitReady();
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The skip-or-fail rule for tools the tests need (docker-registry, skopeo). */
    public static void requireTool(String name, Path binary, String install) {
        Prerequisites.require(name + " at " + binary + " (" + install + ")", Files.isExecutable(binary));
    }

    /** host:port, to prefix references with: {@code host() + "/repo:tag"}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The distribution storage tree: docker/registry/v2/blobs/sha256/ab/abcd…/data. */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("storage/docker/registry/v2/blobs/sha256")
                .resolve(hex.substring(0, 2))
                .resolve(hex)
                .resolve("data");
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    private void awaitReady() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": " + log());
            }
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "docker-registry did not answer on " + host() + " within " + STARTUP + ": " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public String toString() {
        return "docker-registry at " + host() + ", storage and log in " + dir;
    }

    /**
     * One registry for all tests of a class, started before the first and stopped after the last:
     * {@code @RegisterExtension static final LocalRegistry.PerClass registry = new LocalRegistry.PerClass();}
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private LocalRegistry registry;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            registry = LocalRegistry.start();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (registry != null) {
                registry.close();
            }
        }

        /** See {@link LocalRegistry#host()}. */
        public String host() {
            return registry.host();
        }

        /** See {@link LocalRegistry#blobData(String)}. */
        public Path blobData(String digest) {
            return registry.blobData(digest);
        }
    }
}
