package dev.wasmbpf.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place a test decides it cannot run here. A test that needs something of its environment — the
 * kernel and bpf() privileges, tracefs, a cgroup v2 mount, or a tool such as clang, docker-registry, skopeo
 * or ip — calls {@link #require}: when it is missing, the test is skipped with the reason, or fails with it
 * when {@code WASM_BPF_REQUIRE_KERNEL=1}. Despite its historical name, that variable governs every
 * prerequisite, not only the kernel: CI sets it so that nothing it installs can silently go missing.
 *
 * <p>The only exceptions are {@link KernelOption}s, build or boot options of the kernel under test, which
 * {@link #allowMissing} lets skip under that variable after checking the kernel's own word for them.
 */
public final class Prerequisites {
    /** Set to {@code 1}, every missing prerequisite fails the test instead of skipping it. */
    public static final String REQUIRE_ALL_ENV = "WASM_BPF_REQUIRE_KERNEL";
    /** Upper bound for waiting on kernel or process activity; never an assertion on elapsed time. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Prerequisites() {}

    /** Skips (or fails, see {@link #REQUIRE_ALL_ENV}) with "{@code what} is not available" unless {@code available}. */
    public static void require(String what, boolean available) {
        if (!available) {
            cannotRun(what + " is not available");
        }
    }

    /** Skips the test with {@code reason}, or fails with it under {@link #REQUIRE_ALL_ENV}{@code =1}. */
    public static void cannotRun(String reason) {
        if ("1".equals(System.getenv(REQUIRE_ALL_ENV))) {
            throw new AssertionError("test cannot run although " + REQUIRE_ALL_ENV + "=1: " + reason);
        }
        Assumptions.abort("skipped: " + reason);
    }

    /**
     * Kernel features whose absence may skip a test even under {@link #REQUIRE_ALL_ENV}{@code =1}: build or
     * boot options of the kernel CI happens to run, not something a correct set-up provides.
     */
    public enum KernelOption {
        /** BPF LSM programs need CONFIG_BPF_LSM=y and "bpf" in the boot-time lsm= list. */
        BPF_LSM("BPF LSM (CONFIG_BPF_LSM=y and \"bpf\" in lsm=)", Path.of("/sys/kernel/security/lsm"), "bpf");

        private final String description;
        private final Path evidence;
        private final String listedName;

        KernelOption(String description, Path evidence, String listedName) {
            this.description = description;
            this.evidence = evidence;
            this.listedName = listedName;
        }

        /**
         * The kernel's own comma-separated list (e.g. /sys/kernel/security/lsm), or empty when it cannot be read
         * (securityfs not mounted, as on some VMs): then the kernel's word cannot be checked.
         */
        Optional<List<String>> listed() {
            try {
                return Optional.of(List.of(Files.readString(evidence).strip().split(",")));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Skips, whatever {@link #REQUIRE_ALL_ENV} says, because the kernel lacks {@code option} — after checking
     * the kernel's own word for it: when the kernel does have it, the code under test was wrong to say
     * otherwise ({@code said}) and the test fails.
     */
    public static void allowMissing(KernelOption option, String said) {
        Optional<List<String>> listed = option.listed();
        if (listed.isPresent() && listed.get().contains(option.listedName)) {
            throw new AssertionError("the kernel has " + option.description + " (" + option.evidence + " lists \""
                    + option.listedName + "\"), yet: " + said);
        }
        Assumptions.abort("kernel without " + option.description + ": " + said
                + (listed.isEmpty() ? " (" + option.evidence + " unreadable: not cross-checked)" : ""));
    }

    /**
     * Waits until {@code condition} holds, checking it repeatedly (it should do the polling or the I/O that
     * makes progress), and fails naming {@code what} after {@link #PATIENCE}.
     */
    public static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
