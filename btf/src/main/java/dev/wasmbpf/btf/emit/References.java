package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import java.util.Arrays;

/**
 * Who mentions an anonymous type, to decide whether it can be written inline. An anonymous enum
 * written in two places would define its enumerators twice, so it is inlined only when the C
 * text will contain it exactly once: one referrer, itself written exactly once.
 */
final class References {
    private final Btf btf;
    private final int[] count;
    private final int[] soleReferrer;

    References(Btf btf) {
        this.btf = btf;
        count = new int[btf.count()];
        soleReferrer = new int[btf.count()];
        Arrays.fill(soleReferrer, -1);
        for (int i = 1; i < btf.count(); i++) {
            final int id = i;
            BtfType t = btf.type(id);
            switch (t) {
                case BtfType.Composite c -> c.members().forEach(m -> add(m.type(), id));
                case BtfType.Typedef td -> add(td.type(), id);
                case BtfType.Modifier m -> add(m.type(), id);
                case BtfType.TypeTag tt -> add(tt.type(), id);
                case BtfType.Array a -> add(a.elementType(), id);
                case BtfType.Ptr p -> add(p.type(), id);
                case BtfType.FuncProto fp -> {
                    add(fp.returnType(), id);
                    fp.params().forEach(p -> add(p.type(), id));
                }
                default -> {}
            }
        }
    }

    private void add(int target, int from) {
        count[target]++;
        soleReferrer[target] = from;
    }

    /** Whether the type's C text appears exactly once when everything is written. */
    boolean writtenOnce(int id) {
        int guard = 0;
        while (guard++ <= Btf.MAX_NESTING * 4) {
            BtfType t = btf.type(id);
            boolean named = !t.name().isEmpty() && (t instanceof BtfType.Composite || t instanceof BtfType.Typedef);
            if (named) return true;
            if (t instanceof BtfType.FuncProto || count[id] != 1) return false;
            id = soleReferrer[id];
        }
        return false;
    }
}
