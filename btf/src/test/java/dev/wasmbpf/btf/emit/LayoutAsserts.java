package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import java.util.function.IntPredicate;

/**
 * Generates C {@code _Static_assert}s that check, for named structs and unions, sizeof and the
 * offsetof of every non-bitfield member (members of anonymous nested structs included, as C11
 * lets offsetof name them), with the values read from the BTF itself: compiling them against a
 * generated header proves the header lays everything out as the BTF says.
 */
public final class LayoutAsserts {
    private LayoutAsserts() {}

    public static String forTypes(Btf btf, IntPredicate include) {
        TypeNames names = new TypeNames(btf);
        StringBuilder b = new StringBuilder();
        for (int id = 1; id < btf.count(); id++) {
            if (!(btf.type(id) instanceof BtfType.Composite c) || c.name().isEmpty() || !include.test(id)) continue;
            String tag = c.keyword() + " " + names.of(id);
            b.append("_Static_assert(sizeof(")
                    .append(tag)
                    .append(") == ")
                    .append(btf.sizeOf(id))
                    .append(", \"sizeof ")
                    .append(tag)
                    .append("\");\n");
            members(btf, tag, c, 0, b);
        }
        return b.toString();
    }

    private static void members(Btf btf, String tag, BtfType.Composite c, long base, StringBuilder b) {
        for (var m : c.members()) {
            if (m.isBitfield()) continue;
            long off = base + m.bitOffset() / 8;
            if (m.name().isEmpty()) {
                if (btf.type(btf.skipQualifiers(m.type())) instanceof BtfType.Composite inner
                        && inner.name().isEmpty()) {
                    members(btf, tag, inner, off, b);
                }
                continue;
            }
            b.append("_Static_assert(__builtin_offsetof(")
                    .append(tag)
                    .append(", ")
                    .append(m.name())
                    .append(") == ")
                    .append(off)
                    .append(", \"")
                    .append(tag)
                    .append('.')
                    .append(m.name())
                    .append("\");\n");
        }
    }
}
