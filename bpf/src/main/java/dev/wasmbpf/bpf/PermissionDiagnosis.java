package dev.wasmbpf.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do about an EPERM from bpf(). libbpf's own message ("operation not permitted") does not say
 * which capabilities are wanted, nor that those held inside a user namespace do not count, so the
 * failing open or load replaces it with {@link #describe()}.
 */
public final class PermissionDiagnosis {
    // Bit numbers from <linux/capability.h>.
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private PermissionDiagnosis() {}

    /** "operation not permitted — needs …; run as root or grant them", naming what this process lacks. */
    public static String describe() {
        return "operation not permitted — needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)" + missingCapabilities()
                + userNamespace() + "; run as root or grant them";
    }

    /** ", this process lacks X and Y" from /proc/self/status, or "" when that can't be read. */
    static String missingCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(
                            line.substring("CapEff:".length()).trim(), 16);
                    List<String> missing = new ArrayList<>();
                    if ((effective & (1L << CAP_BPF)) == 0) {
                        missing.add("CAP_BPF");
                    }
                    if ((effective & (1L << CAP_PERFMON)) == 0) {
                        missing.add("CAP_PERFMON");
                    }
                    if ((effective & (1L << CAP_SYS_ADMIN)) == 0) {
                        missing.add("CAP_SYS_ADMIN");
                    }
                    return missing.isEmpty() ? "" : ", this process lacks " + String.join(", ", missing);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Without /proc the general advice stands on its own.
        }
        return "";
    }

    /**
     * ", in a user namespace …" when this process is not in the initial user namespace: there it may hold
     * every capability, yet bpf() checks them against the initial namespace.
     */
    static String userNamespace() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
            String[] fields = map.split("\\s+");
            boolean initial = fields.length == 3
                    && fields[0].equals("0")
                    && fields[1].equals("0")
                    && fields[2].equals("4294967295");
            return initial ? "" : ", and capabilities inside a user namespace do not count for bpf()";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
