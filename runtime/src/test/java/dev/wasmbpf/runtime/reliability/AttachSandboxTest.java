package dev.wasmbpf.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wasmbpf.bpf.testing.KernelTestSupport;
import dev.wasmbpf.runtime.GuestHarness;
import dev.wasmbpf.runtime.RunConfig;
import dev.wasmbpf.runtime.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest names host paths only under what --allow-attach granted (after resolving every {@code ..} and
 * symlink), and operates only on maps its own objects created.
 */
class AttachSandboxTest {
    private static final int EACCES = 13;
    private static final int EBADF = 9;

    @TempDir
    Path temp;

    private Path cgroup;
    private Path binary;

    @BeforeEach
    void createTargets() throws Exception {
        KernelTestSupport.requireKernel();
        Path root = KernelTestSupport.cgroup2Root().orElse(null);
        KernelTestSupport.requireFeature("a cgroup v2 mount", root != null);
        cgroup = Files.createDirectory(root.resolve("wasmbpf-sandbox-" + Long.toHexString(System.nanoTime())));
        binary = temp.resolve("allowed-bin");
        Files.createDirectory(binary);
        Files.copy(Path.of("/bin/true"), binary.resolve("true"));
        Files.setPosixFilePermissions(binary.resolve("true"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeCgroup() throws Exception {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
    }

    @Test
    void aCgroupUnderAnAllowedPathAttaches() throws Exception {
        assertEquals(0, attach(cgroup.toString(), binary + "/true:main", cgroup).cgroup());
    }

    @Test
    void dotDotOutOfTheAllowedCgroupIsRefused() throws Exception {
        assertEquals(-EACCES, attach(cgroup + "/..", "x:y", cgroup).cgroup());
        assertEquals(
                -EACCES,
                attach(cgroup + "/../" + cgroup.getFileName() + "/..", "x:y", cgroup)
                        .cgroup());
    }

    @Test
    void aSymlinkOutOfTheAllowedTreeIsRefused() throws Exception {
        Path allowed = Files.createDirectory(temp.resolve("allowed"));
        Files.createSymbolicLink(allowed.resolve("escape"), cgroup);
        Files.createSymbolicLink(allowed.resolve("true"), binary.resolve("true"));
        Result result = attach(allowed.resolve("escape").toString(), allowed.resolve("true") + ":main", allowed);
        assertEquals(-EACCES, result.cgroup());
        assertEquals(-EACCES, result.uprobe());
    }

    @Test
    void uprobeBinariesOutsideTheAllowedTreeAreRefusedAndInsideAreNot() throws Exception {
        assertEquals(
                -EACCES, attach(cgroup.toString(), "/bin/true:main", binary).uprobe());
        assertEquals(
                -EACCES,
                attach(cgroup.toString(), binary + "/../../../../bin/true:main", binary)
                        .uprobe());
        // Inside the tree the policy lets it through; whether the uprobe attaches is the kernel's business.
        assertNotEquals(
                -EACCES,
                attach(cgroup.toString(), binary + "/true:main", binary).uprobe());
    }

    @Test
    void mapOperationsOnFdsTheModuleDidNotCreateFailWithEbadf() throws Exception {
        try (GuestHarness other = GuestHarness.start("rel_exec", "hold")) {
            other.awaitReady();
            int foreign = ownFd(other.out().awaitLine(line -> line.startsWith("OWN_FD"), "the other module's map fd"));
            try (GuestHarness guest = GuestHarness.start(
                    "rel_exec", "mapops", "0", "1", "2", Integer.toString(foreign), "-1", "2147483647")) {
                assertEquals(
                        new RunResult.Exited(0),
                        guest.awaitResult(),
                        guest.out().text());
                int own = ownFd(guest.out().lines().getFirst());
                assertEquals("MAPOP_OWN ret=0", guest.out().lines().get(1), "its own map works");
                for (int fd : new int[] {0, 1, 2, foreign, -1, Integer.MAX_VALUE}) {
                    assertEquals(
                            "MAPOP fd=" + fd + " ret=-" + EBADF,
                            mapOp(guest, fd),
                            "fd " + fd + " (own fd " + own + ")");
                }
            }
            other.running().terminate();
            other.awaitResult();
            other.assertNothingLeft();
        }
    }

    private static String mapOp(GuestHarness guest, int fd) {
        return guest.out().lines().stream()
                .filter(line -> line.startsWith("MAPOP fd=" + fd + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no MAPOP line for fd " + fd + ": " + guest.out().text()));
    }

    private static int ownFd(String line) {
        return Integer.parseInt(line.substring("OWN_FD ".length()).trim());
    }

    record Result(int cgroup, int uprobe) {}

    private static final Pattern RET = Pattern.compile("(CGROUP|UPROBE) ret=(-?\\d+)");

    private Result attach(String cgroupTarget, String uprobeTarget, Path... allowed) throws Exception {
        RunConfig.Builder config = RunConfig.builder().args("attach", cgroupTarget, uprobeTarget);
        for (Path path : allowed) {
            config.allowAttach(path);
        }
        try (GuestHarness guest = GuestHarness.start("rel_exec", config)) {
            assertEquals(
                    new RunResult.Exited(0),
                    guest.awaitResult(),
                    guest.out().text() + guest.err().text());
            List<Integer> values = new ArrayList<>();
            for (String line : guest.out().lines()) {
                Matcher m = RET.matcher(line);
                if (m.matches()) {
                    values.add(Integer.parseInt(m.group(2)));
                }
            }
            assertEquals(2, values.size(), guest.out().text());
            guest.assertNothingLeft();
            return new Result(values.get(0), values.get(1));
        }
    }
}
