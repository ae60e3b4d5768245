package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * C names for BTF types, unique per C namespace. Kernel BTF can hold two different types with
 * one name (from different compilation units) and the same enumerator in two enums; C cannot,
 * so later ones get a "___N" suffix as bpftool does. Struct, union and enum tags share one
 * namespace, typedef names and enumerators another. A FWD takes the name of the struct or
 * union it announces.
 */
final class TypeNames {
    private final String[] names;
    private final Map<Integer, String[]> enumerators = new HashMap<>();

    TypeNames(Btf btf) {
        names = new String[btf.count()];
        Map<String, Integer> tagCount = new HashMap<>();
        Map<String, Integer> ordinaryCount = new HashMap<>();
        Map<String, Boolean> definedTagIsUnion = new HashMap<>();
        Set<String> enumTags = new HashSet<>();
        for (int id = 1; id < btf.count(); id++) {
            switch (btf.type(id)) {
                case BtfType.Composite c when !c.name().isEmpty() -> names[id] = unique(tagCount, c.name());
                case BtfType.Enum e
                when !e.name().isEmpty() -> {
                    names[id] = unique(tagCount, e.name());
                    enumTags.add(e.name());
                }
                case BtfType.Typedef t -> names[id] = unique(ordinaryCount, t.name());
                default -> {}
            }
            if (btf.type(id) instanceof BtfType.Composite c && !c.name().isEmpty()) {
                definedTagIsUnion.putIfAbsent(c.name(), c.union());
            }
        }
        for (int id = 1; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Fwd f) {
                Boolean union = definedTagIsUnion.get(f.name());
                names[id] = union != null && union == f.union() && !enumTags.contains(f.name())
                        ? f.name()
                        : unique(tagCount, f.name());
            }
            if (btf.type(id) instanceof BtfType.Enum e) {
                String[] values = new String[e.values().size()];
                for (int i = 0; i < values.length; i++)
                    values[i] = unique(ordinaryCount, e.values().get(i).name());
                enumerators.put(id, values);
            }
        }
    }

    private static String unique(Map<String, Integer> seen, String name) {
        int n = seen.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "___" + n;
    }

    /** The C name of a named struct, union, enum, FWD or typedef. */
    String of(int id) {
        return names[id];
    }

    String enumerator(int enumId, int index) {
        return enumerators.get(enumId)[index];
    }
}
