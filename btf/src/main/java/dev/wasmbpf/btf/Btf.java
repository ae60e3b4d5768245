package dev.wasmbpf.btf;

import dev.wasmbpf.btf.BtfType.Array;
import dev.wasmbpf.btf.BtfType.Composite;
import dev.wasmbpf.btf.BtfType.Datasec;
import dev.wasmbpf.btf.BtfType.DeclTag;
import dev.wasmbpf.btf.BtfType.Enum;
import dev.wasmbpf.btf.BtfType.Float;
import dev.wasmbpf.btf.BtfType.Func;
import dev.wasmbpf.btf.BtfType.FuncProto;
import dev.wasmbpf.btf.BtfType.Int;
import dev.wasmbpf.btf.BtfType.Modifier;
import dev.wasmbpf.btf.BtfType.Ptr;
import dev.wasmbpf.btf.BtfType.TypeTag;
import dev.wasmbpf.btf.BtfType.Typedef;
import dev.wasmbpf.btf.BtfType.Var;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated table of BTF types (index = type id, 0 = void), from a raw BTF blob such as
 * /sys/kernel/btf/vmlinux or the .BTF section of a BPF object.
 *
 * <p>Construction checks everything the emitters rely on, so that they can walk the types without
 * further checks: every reference points at an existing type, no type contains itself by value
 * (struct A { struct A a; }) and no declarator refers to itself without a name in between
 * (a pointer to itself), nesting is bounded, and every sized type has a size that fits in 32 bits.
 */
public final class Btf {
    /** Deepest nesting of types we accept; real kernels stay far below (see BtfTest). */
    public static final int MAX_NESTING = 256;

    /** The size of a pointer in the BPF target's layout. */
    public static final int POINTER_SIZE = 8;

    private final List<BtfType> types;
    private final ByteOrder order;
    private final long[] sizes;
    private final byte[] strings;
    private Map<String, List<Integer>> byName;

    Btf(List<BtfType> types, ByteOrder order, byte[] strings) throws BtfFormatException {
        this.strings = strings;
        this.types = Collections.unmodifiableList(types);
        this.order = order;
        this.sizes = new long[types.size()];
        checkReferences();
        checkNoCycles(ValueEdges.INSTANCE, "contains itself by value");
        checkNoCycles(DeclaratorEdges.INSTANCE, "is defined in terms of itself without a named type in between");
        computeSizes();
        checkMembers();
    }

    /** Parses a raw BTF blob (the magic decides the byte order). */
    public static Btf parse(byte[] blob) throws BtfFormatException {
        return new BtfReader(blob).read();
    }

    /** The string at {@code offset} of the string section (for .BTF.ext records). */
    public String stringAt(long offset) throws BtfFormatException {
        if (offset < 0 || offset >= strings.length) {
            throw new BtfFormatException(
                    -1, "string offset " + offset + " lies outside the " + strings.length + "-byte string section");
        }
        int p = (int) offset;
        while (p < strings.length && strings[p] != 0) p++;
        return new String(strings, (int) offset, p - (int) offset, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Number of types including void (so valid ids are 0 .. count()-1). */
    public int count() {
        return types.size();
    }

    public List<BtfType> types() {
        return types;
    }

    public ByteOrder byteOrder() {
        return order;
    }

    public BtfType type(int id) {
        return types.get(id);
    }

    /** Ids of all types with that name, in id order. */
    public List<Integer> idsNamed(String name) {
        if (byName == null) {
            Map<String, List<Integer>> index = new HashMap<>();
            for (int id = 1; id < types.size(); id++) {
                String n = types.get(id).name();
                if (!n.isEmpty())
                    index.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
            }
            byName = index;
        }
        return byName.getOrDefault(name, List.of());
    }

    /** The DATASEC with that section name, if any. */
    public Optional<Datasec> datasec(String sectionName) {
        for (int id : idsNamed(sectionName)) {
            if (types.get(id) instanceof Datasec d) return Optional.of(d);
        }
        return Optional.empty();
    }

    /** Whether the type has a size (objects can be declared of it). */
    public boolean isSized(int id) {
        return sizes[id] >= 0;
    }

    /**
     * Size in bytes in the BPF target's layout (pointers 8). Only for sized types: void,
     * functions, prototypes, forward declarations and tags have none.
     */
    public long sizeOf(int id) {
        long s = sizes[id];
        if (s < 0) throw new IllegalArgumentException("type [" + id + "] " + type(id).kindName() + " has no size");
        return s;
    }

    /** Skips typedefs, qualifiers and type tags. */
    public int resolve(int id) {
        int guard = 0;
        while (true) {
            switch (types.get(id)) {
                case Typedef t -> id = t.type();
                case Modifier m -> id = m.type();
                case TypeTag t -> id = t.type();
                default -> {
                    return id;
                }
            }
            if (++guard > types.size()) throw new IllegalStateException("unreachable: validated acyclic");
        }
    }

    /** Skips qualifiers and type tags but keeps typedefs. */
    public int skipQualifiers(int id) {
        while (true) {
            switch (types.get(id)) {
                case Modifier m -> id = m.type();
                case TypeTag t -> id = t.type();
                default -> {
                    return id;
                }
            }
        }
    }

    // ---- validation ----

    private void checkReferences() throws BtfFormatException {
        int n = types.size();
        for (int id = 1; id < n; id++) {
            for (int ref : references(types.get(id))) {
                if (ref < 0 || ref >= n) {
                    throw new BtfFormatException(
                            -1,
                            "type [" + id + "] " + types.get(id).kindName() + " refers to type ["
                                    + Integer.toUnsignedString(ref) + "], but only " + n + " types exist");
                }
            }
            if (types.get(id) instanceof Func f && !(types.get(f.proto()) instanceof FuncProto)) {
                throw new BtfFormatException(
                        -1,
                        "FUNC [" + id + "] '" + f.name() + "' must refer to a FUNC_PROTO, found "
                                + types.get(f.proto()).kindName() + " [" + f.proto() + "]");
            }
            if (types.get(id) instanceof Datasec d) {
                for (var v : d.vars()) {
                    if (!(types.get(v.type()) instanceof Var) && !(types.get(v.type()) instanceof Func)) {
                        throw new BtfFormatException(
                                -1,
                                "DATASEC [" + id + "] '" + d.name() + "' must list VARs, found "
                                        + types.get(v.type()).kindName() + " [" + v.type() + "]");
                    }
                }
            }
        }
    }

    /** Every type id the given type mentions. */
    static List<Integer> references(BtfType t) {
        return switch (t) {
            case Ptr p -> List.of(p.type());
            case Array a -> List.of(a.elementType(), a.indexType());
            case Composite c -> c.members().stream().map(BtfType.Member::type).toList();
            case Typedef td -> List.of(td.type());
            case Modifier m -> List.of(m.type());
            case TypeTag tt -> List.of(tt.type());
            case Func f -> List.of(f.proto());
            case FuncProto fp -> {
                List<Integer> r = new ArrayList<>(fp.params().size() + 1);
                r.add(fp.returnType());
                fp.params().forEach(p -> r.add(p.type()));
                yield r;
            }
            case Var v -> List.of(v.type());
            case Datasec d -> d.vars().stream().map(BtfType.SectionVar::type).toList();
            case DeclTag dt -> List.of(dt.type());
            default -> List.of();
        };
    }

    /** Edges of a graph over type ids that must be acyclic. */
    interface Edges {
        List<Integer> of(Btf btf, int id);
    }

    /** "Contains by value": what a type's size and layout depend on. */
    enum ValueEdges implements Edges {
        INSTANCE;

        public List<Integer> of(Btf btf, int id) {
            return switch (btf.types.get(id)) {
                case Array a -> List.of(a.elementType());
                case Composite c ->
                    c.members().stream().map(BtfType.Member::type).toList();
                case Typedef td -> List.of(td.type());
                case Modifier m -> List.of(m.type());
                case TypeTag tt -> List.of(tt.type());
                case Var v -> List.of(v.type());
                case Datasec d ->
                    d.vars().stream().map(BtfType.SectionVar::type).toList();
                default -> List.of();
            };
        }
    }

    /**
     * "Spelled out inside": what a C declarator of the type writes inline. Named structs, unions,
     * enums and typedefs end a declarator (they are written by name), anonymous ones are written
     * out in full, so a cycle among these edges could never be printed.
     */
    enum DeclaratorEdges implements Edges {
        INSTANCE;

        public List<Integer> of(Btf btf, int id) {
            BtfType t = btf.types.get(id);
            if (!t.name().isEmpty() && (t instanceof Composite || t instanceof Typedef || t instanceof Enum)) {
                return List.of();
            }
            return switch (t) {
                case Composite c ->
                    c.members().stream().map(BtfType.Member::type).toList();
                default -> references(t);
            };
        }
    }

    private void checkNoCycles(Edges edges, String what) throws BtfFormatException {
        int n = types.size();
        byte[] state = new byte[n]; // 0 new, 1 on stack, 2 done
        int[] depth = new int[n];
        int[] stack = new int[n + 1];
        int[] next = new int[n + 1];
        List<List<Integer>> kids = new ArrayList<>(Collections.nCopies(n + 1, null));
        for (int root = 0; root < n; root++) {
            if (state[root] != 0) continue;
            int sp = 0;
            stack[0] = root;
            next[0] = 0;
            kids.set(0, edges.of(this, root));
            state[root] = 1;
            while (sp >= 0) {
                int id = stack[sp];
                List<Integer> children = kids.get(sp);
                if (next[sp] < children.size()) {
                    int child = children.get(next[sp]++);
                    if (state[child] == 1) {
                        throw new BtfFormatException(
                                -1,
                                "type [" + child + "] " + types.get(child).kindName() + " '"
                                        + types.get(child).name() + "' " + what);
                    }
                    if (state[child] == 0) {
                        state[child] = 1;
                        sp++;
                        stack[sp] = child;
                        next[sp] = 0;
                        kids.set(sp, edges.of(this, child));
                    }
                } else {
                    int d = 0;
                    for (int c : children) d = Math.max(d, depth[c] + 1);
                    if (d > MAX_NESTING) {
                        throw new BtfFormatException(
                                -1,
                                "type [" + id + "] " + types.get(id).kindName() + " nests types deeper than "
                                        + MAX_NESTING + " levels");
                    }
                    depth[id] = d;
                    state[id] = 2;
                    kids.set(sp, null);
                    sp--;
                }
            }
        }
    }

    private void checkMembers() throws BtfFormatException {
        for (int id = 1; id < types.size(); id++) {
            if (!(types.get(id) instanceof Composite c)) continue;
            for (var m : c.members()) {
                String where = c.kindName() + " [" + id + "] '" + c.name() + "' member '" + m.name() + "'";
                if (!isSized(m.type())) {
                    throw new BtfFormatException(
                            -1,
                            where + " has incomplete type [" + m.type() + "] "
                                    + types.get(m.type()).kindName());
                }
                if (m.isBitfield()) {
                    BtfType base = types.get(resolve(m.type()));
                    if (!(base instanceof Int) && !(base instanceof Enum)) {
                        throw new BtfFormatException(
                                -1, where + " is a bitfield of non-integer type " + base.kindName());
                    }
                    if (m.bitfieldSize() > sizeOf(m.type()) * 8) {
                        throw new BtfFormatException(
                                -1,
                                where + " is a " + m.bitfieldSize() + "-bit bitfield of a " + sizeOf(m.type())
                                        + "-byte type");
                    }
                } else if (m.bitOffset() % 8 != 0) {
                    throw new BtfFormatException(-1, where + " is not a bitfield but starts at bit " + m.bitOffset());
                } else if (m.bitOffset() / 8 + sizeOf(m.type()) > Integer.toUnsignedLong(c.size())) {
                    throw new BtfFormatException(
                            -1,
                            where + " at byte " + m.bitOffset() / 8 + " of size " + sizeOf(m.type())
                                    + " ends beyond the " + Integer.toUnsignedLong(c.size()) + "-byte " + c.keyword());
                }
            }
        }
    }

    /** Sizes in dependency order; value edges are acyclic and depth-bounded at this point. */
    private void computeSizes() throws BtfFormatException {
        java.util.Arrays.fill(sizes, Long.MIN_VALUE);
        for (int id = 0; id < types.size(); id++) sizeFor(id, 0);
    }

    private long sizeFor(int id, int level) throws BtfFormatException {
        if (sizes[id] != Long.MIN_VALUE) return sizes[id];
        long s = switch (types.get(id)) {
            case Int i -> i.size();
            case Float f -> f.size();
            case Ptr p -> POINTER_SIZE;
            case Composite c -> Integer.toUnsignedLong(c.size());
            case Enum e -> e.size();
            case Datasec d -> d.size();
            case Array a -> {
                long elem = sizeFor(a.elementType(), level + 1);
                if (elem < 0)
                    throw new BtfFormatException(
                            -1,
                            "ARRAY [" + id + "] has elements of unsized type [" + a.elementType() + "] "
                                    + types.get(a.elementType()).kindName());
                long total;
                try {
                    total = Math.multiplyExact(elem, a.length());
                } catch (ArithmeticException overflow) {
                    total = Long.MAX_VALUE;
                }
                if (total > 0xFFFF_FFFFL)
                    throw new BtfFormatException(
                            -1,
                            "ARRAY [" + id + "] of " + a.length() + " elements of " + elem
                                    + " bytes is larger than 4 GiB");
                yield total;
            }
            case Typedef t -> sizeFor(t.type(), level + 1);
            case Modifier m -> sizeFor(m.type(), level + 1);
            case TypeTag t -> sizeFor(t.type(), level + 1);
            case Var v -> sizeFor(v.type(), level + 1);
            default -> -1; // void, FWD, FUNC, FUNC_PROTO, DECL_TAG
        };
        sizes[id] = s;
        return s;
    }
}
