package dev.wasmbpf.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The guest SDKs' copies of the section table are the table: a change to one without the other fails here. */
class SectionHeadersTest {
    /** Maven runs the tests in the module's folder; the SDKs sit beside it. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void committedSdkFilesAreWhatTheTableGenerates() throws IOException {
        for (var file : SectionHeaders.files().entrySet()) {
            Path committed = REPOSITORY.resolve(file.getKey());
            assertTrue(
                    Files.isRegularFile(committed),
                    committed + " is missing; regenerate: " + SectionHeaders.REGENERATE);
            assertEquals(
                    file.getValue(),
                    Files.readString(committed),
                    committed + " differs from dev.wasmbpf.bpf.SectionTable; regenerate it from the repository's root: "
                            + SectionHeaders.REGENERATE);
        }
    }

    @Test
    void firstMatchingRowDecides() {
        assertEquals(SectionTable.AttachTarget.UPROBE, SectionTable.attachTarget("uprobe"));
        assertEquals(SectionTable.AttachTarget.UPROBE, SectionTable.attachTarget("uprobe/"));
        assertEquals(SectionTable.AttachTarget.LIBBPF, SectionTable.attachTarget("uprobe//bin/true:main"));
        assertEquals(SectionTable.AttachTarget.TC_EGRESS, SectionTable.attachTarget("tc/egress"));
        assertEquals(SectionTable.AttachTarget.TC_INGRESS, SectionTable.attachTarget("tc"));
        assertEquals(SectionTable.AttachTarget.TC_EGRESS, SectionTable.attachTarget("tcx/egress"));
        assertEquals(SectionTable.AttachTarget.CGROUP, SectionTable.attachTarget("sockops"));
        assertEquals(SectionTable.AttachTarget.CGROUP, SectionTable.attachTarget("cgroup_skb/ingress"));
        assertEquals(SectionTable.AttachTarget.XDP_INTERFACE, SectionTable.attachTarget("xdp.frags"));
        assertEquals(SectionTable.AttachTarget.SOCKET_INTERFACE, SectionTable.attachTarget("socket"));
        assertEquals(SectionTable.AttachTarget.LIBBPF, SectionTable.attachTarget("tp/sched/sched_process_exec"));
        assertEquals(SectionTable.AttachTarget.LIBBPF, SectionTable.attachTarget("my_own_section"));
        assertTrue(SectionTable.lookup("my_own_section").isEmpty());
    }
}
