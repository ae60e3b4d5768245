package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.BtfType.Composite;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes BTF types as Rust for wasm32 guests, in the BPF side's layout (what the --wasm C header
 * does for C guests): every struct and union is {@code #[repr(C, packed)]} with members at their
 * BTF offsets and explicit {@code __padN: [u8; k]} gaps, pointers are {@code u64}, and each type
 * is followed by a compile-time size assert, so a layout mismatch fails the build. Rust has no
 * anonymous structs, so nested anonymous types get names from their place ({@code outer__field});
 * it has no bitfields, so a run of bitfields is one byte array with a getter and setter per
 * field. Enums become integer type aliases with one constant per enumerator (a Rust enum would
 * be undefined behaviour for a value the BPF side writes that it does not list), and C
 * {@code bool} becomes {@code u8} for the same reason: every generated type is valid for any
 * bytes, which is what the SDK's {@code Plain} trait requires.
 */
public final class RustEmitter {
    private static final Set<String> KEYWORDS = Set.of(
            "as",
            "break",
            "const",
            "continue",
            "crate",
            "else",
            "enum",
            "extern",
            "false",
            "fn",
            "for",
            "if",
            "impl",
            "in",
            "let",
            "loop",
            "match",
            "mod",
            "move",
            "mut",
            "pub",
            "ref",
            "return",
            "self",
            "Self",
            "static",
            "struct",
            "super",
            "trait",
            "true",
            "type",
            "unsafe",
            "use",
            "where",
            "while",
            "async",
            "await",
            "dyn",
            "abstract",
            "become",
            "box",
            "do",
            "final",
            "macro",
            "override",
            "priv",
            "typeof",
            "unsized",
            "virtual",
            "yield",
            "try",
            "union");
    /** Keywords that cannot be raw identifiers either: they get a trailing underscore. */
    private static final Set<String> NOT_RAW = Set.of("crate", "self", "Self", "super", "_");
    /** Rust's built-in type names: a C typedef of one of these (u32, bool …) is not redefined. */
    private static final Set<String> PRIMITIVES = Set.of(
            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
            "bool", "char", "str");

    private static final int MAX_DEPTH = 1000;

    private final Btf btf;
    private final String[] names;
    private final Set<String> typeNamesUsed = new HashSet<>();
    private final Set<String> constNamesUsed = new HashSet<>();
    private final BitSet queued = new BitSet();
    private final List<Integer> order = new ArrayList<>();
    private final Map<Integer, String> typedefTargetName = new HashMap<>();
    private int depth;
    /** When set, every struct and union also gets {@code unsafe impl <plainTrait> for T {}}. */
    private String plainTrait;

    public RustEmitter(Btf btf) {
        this.btf = btf;
        this.names = new String[btf.count()];
        // Named types first, in id order, so their names do not depend on what is emitted.
        for (int id = 1; id < btf.count(); id++) {
            BtfType t = btf.type(id);
            boolean named = !t.name().isEmpty() && (t instanceof Composite || t instanceof BtfType.Enum);
            if (named) names[id] = unique(typeNamesUsed, identifier(t.name()));
        }
        for (int id = 1; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Typedef td && emittedTypedef(id)) {
                int target = btf.skipQualifiers(td.type());
                BtfType tt = btf.type(target);
                if ((tt instanceof Composite || tt instanceof BtfType.Enum)
                        && tt.name().isEmpty()
                        && names[target] == null) {
                    // typedef struct { … } name_t: the struct takes the typedef's name.
                    names[target] = unique(typeNamesUsed, identifier(td.name()));
                    typedefTargetName.put(id, names[target]);
                } else if (names[target] != null && names[target].equals(identifier(td.name()))) {
                    typedefTargetName.put(id, names[target]); // typedef struct foo foo
                } else {
                    names[id] = unique(typeNamesUsed, identifier(td.name()));
                }
            }
        }
    }

    /** Every named struct, union, enum and typedef of the BTF, and anonymous enums' constants. */
    public String emitAll(String title) throws EmitException {
        for (int id = 1; id < btf.count(); id++) {
            BtfType t = btf.type(id);
            if ((t instanceof Composite c && !c.name().isEmpty())
                    || t instanceof BtfType.Enum
                    || (t instanceof BtfType.Typedef && emittedTypedef(id) && btf.isSized(id))) {
                need(id);
            }
        }
        return render(title);
    }

    /** The named type(s) {@code typeName} and what they contain by value. */
    public String emitType(String title, String typeName) throws EmitException {
        boolean found = false;
        for (int id : btf.idsNamed(typeName)) {
            BtfType t = btf.type(id);
            if (t instanceof Composite || t instanceof BtfType.Enum || t instanceof BtfType.Typedef) {
                need(id);
                found = true;
            }
        }
        if (!found) throw new EmitException("no struct, union, enum or typedef named '" + typeName + "'");
        return render(title);
    }

    /**
     * Also implement this trait (e.g. {@code wasm_bpf::Plain}) for every struct and union: sound
     * because generated types hold only integers and byte arrays, valid for any bytes.
     */
    public RustEmitter implementPlain(String traitPath) {
        this.plainTrait = traitPath;
        return this;
    }

    /** The Rust name of a struct, union, enum or typedef (anonymous ones once referred to). */
    public String nameOf(int id) {
        return names[id];
    }

    /** A type name not used by any BTF type, reserved for the caller (e.g. "Rodata"). */
    public String reserveName(String wanted) {
        return unique(typeNamesUsed, identifier(wanted));
    }

    /** The Rust spelling of a type by value (queueing what it needs for {@link #emitNeeded}). */
    public String typeRef(int id, String hint) throws EmitException {
        return ref(id, hint);
    }

    /** Queue a type and what it contains by value; a pointer queues what it points to. */
    public void include(int id) throws EmitException {
        int t = btf.skipQualifiers(id);
        if (btf.type(t) instanceof BtfType.Ptr p) {
            int target = btf.skipQualifiers(p.type());
            if (btf.isSized(target)) {
                ref(target, "pointee" + target);
            }
            return;
        }
        if (btf.isSized(id)) ref(id, "type" + id);
    }

    private String render(String title) throws EmitException {
        StringBuilder out = new StringBuilder();
        out.append("// Generated by wasm-bpf btf dump format rust")
                .append(title.isEmpty() ? "" : " from " + title)
                .append(": BTF types in the BPF side's layout\n")
                .append(
                        "// for wasm32 guests. Structs and unions are #[repr(C, packed)] with explicit padding, pointers are\n")
                .append(
                        "// u64, C enums are integer aliases with constants, bitfields are byte arrays with accessors.\n")
                .append(
                        "#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals, dead_code, clippy::all)]\n\n");
        // Emitting may discover more anonymous types: walk the growing list.
        for (int i = 0; i < order.size(); i++) out.append(definition(order.get(i)));
        return out.toString();
    }

    /**
     * A packed struct named {@code name} for a global-data section (its non-static variables at
     * their offsets), with a size assert. Types the variables use are emitted by a following
     * {@link #emitNeeded} call.
     */
    public String datasecStruct(String name, BtfType.Datasec sec) throws EmitException {
        StringBuilder b = new StringBuilder();
        b.append("/// The ").append(sec.name()).append(" section's variables, at their offsets.\n");
        b.append("#[repr(C, packed)]\n#[derive(Clone, Copy, Debug)]\npub struct ")
                .append(name)
                .append(" {\n");
        Set<String> taken = new HashSet<>();
        int[] pad = {0};
        long pos = 0;
        for (BtfType.SectionVar sv : sec.vars()) {
            if (!(btf.type(sv.type()) instanceof BtfType.Var v) || v.linkage() == 0) continue;
            if (sv.offset() < pos)
                throw new EmitException("variable '" + v.name() + "' of " + sec.name() + " overlaps the previous one");
            pos = pad(b, pos, sv.offset(), taken, pad);
            String field = identifier(v.name());
            taken.add(field);
            b.append("    pub ")
                    .append(field)
                    .append(": ")
                    .append(ref(v.type(), name + "__" + v.name()))
                    .append(",\n");
            pos = sv.offset() + btf.sizeOf(v.type());
        }
        pad(b, pos, sec.size(), taken, pad);
        b.append("}\n");
        sizeAssert(b, name, sec.size());
        plainImpl(b, name);
        return b.toString();
    }

    /** The definitions of every type {@link #datasecStruct} (or an emit) has referred to so far. */
    public String emitNeeded() throws EmitException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < order.size(); i++) out.append(definition(order.get(i)));
        order.clear();
        return out.toString();
    }

    // ---- what is needed ----

    private boolean emittedTypedef(int id) {
        return !PRIMITIVES.contains(btf.type(id).name());
    }

    private void need(int id) throws EmitException {
        if (++depth > MAX_DEPTH)
            throw new EmitException("type [" + id + "] is nested deeper than " + MAX_DEPTH + " levels");
        try {
            switch (btf.type(id)) {
                case BtfType.Array a -> need(a.elementType());
                case BtfType.Modifier m -> need(m.type());
                case BtfType.TypeTag t -> need(t.type());
                case BtfType.Typedef t -> {
                    if (emittedTypedef(id) && names[id] != null) queue(id);
                    need(t.type());
                }
                case Composite c -> {
                    if (queue(id)) for (var m : c.members()) need(m.type());
                }
                case BtfType.Enum e -> queue(id);
                default -> {}
            }
        } finally {
            depth--;
        }
    }

    private boolean queue(int id) {
        if (queued.get(id)) return false;
        queued.set(id);
        order.add(id);
        return true;
    }

    // ---- definitions ----

    private String definition(int id) throws EmitException {
        return switch (btf.type(id)) {
            case Composite c -> composite(id, c);
            case BtfType.Enum e -> enumeration(id, e);
            case BtfType.Typedef t -> "pub type " + names[id] + " = " + ref(t.type(), names[id]) + ";\n\n";
            default -> "";
        };
    }

    private String composite(int id, Composite c) throws EmitException {
        String self = compositeName(id, "anon" + id);
        long size = btf.sizeOf(id);
        StringBuilder b = new StringBuilder();
        StringBuilder accessors = new StringBuilder();
        b.append("/// C ")
                .append(c.keyword())
                .append(' ')
                .append(c.name().isEmpty() ? "(anonymous)" : c.name())
                .append(", ")
                .append(size)
                .append(" bytes.\n");
        b.append("#[repr(C, packed)]\n#[derive(Clone, Copy")
                .append(c.union() ? "" : ", Debug")
                .append(")]\npub ")
                .append(c.union() ? "union " : "struct ")
                .append(self)
                .append(" {\n");
        Set<String> taken = new HashSet<>();
        for (var m : c.members()) taken.add(identifier(m.name()));
        int[] counters = {0, 0, 0}; // pad, anonymous member, bitfield storage
        long pos = 0; // bytes written so far (structs)
        long runStart = -1; // first byte of the open bitfield run
        String runName = null;
        List<Member> run = new ArrayList<>();
        long largest = 0;
        for (var m : c.members()) {
            if (m.isBitfield()) {
                long first = m.bitOffset() / 8;
                long end = (m.bitOffset() + m.bitfieldSize() + 7) / 8;
                if (c.union()) {
                    String storage = fresh("__bf", counters, 2, taken);
                    b.append("    /// storage of bitfield ")
                            .append(m.name())
                            .append(" (")
                            .append(m.bitfieldSize())
                            .append(" bits)\n");
                    b.append("    pub ")
                            .append(storage)
                            .append(": [u8; ")
                            .append(end)
                            .append("],\n");
                    accessor(accessors, storage, 0, m);
                    largest = Math.max(largest, end);
                    continue;
                }
                if (runName != null && first < pos) {
                    pos = Math.max(pos, end);
                    run.add(new Member(m, runStart));
                    continue;
                }
                closeRun(b, accessors, runName, runStart, pos, run);
                if (first < pos)
                    throw new EmitException(
                            describe(id, c) + ": bitfield '" + m.name() + "' overlaps the previous member");
                pos = pad(b, pos, first, taken, counters);
                runName = fresh("__bf", counters, 2, taken);
                runStart = first;
                run.clear();
                run.add(new Member(m, runStart));
                pos = end;
                continue;
            }
            if (!c.union()) {
                closeRun(b, accessors, runName, runStart, pos, run);
                runName = null;
                if (m.bitOffset() % 8 != 0)
                    throw new EmitException(describe(id, c) + ": member '" + m.name() + "' is not at a byte offset");
                long at = m.bitOffset() / 8;
                if (at < pos)
                    throw new EmitException(
                            describe(id, c) + ": member '" + m.name() + "' overlaps the previous member");
                pos = pad(b, pos, at, taken, counters);
            } else if (m.bitOffset() != 0) {
                throw new EmitException(describe(id, c) + ": union member '" + m.name() + "' is not at offset 0");
            }
            String field = m.name().isEmpty() ? fresh("__anon", counters, 1, taken) : identifier(m.name());
            String hint = self + "__" + (m.name().isEmpty() ? field.substring(2) : m.name());
            long msize = btf.sizeOf(m.type());
            if (m.name().isEmpty())
                b.append("    /// an anonymous C member: its fields are reached through this one\n");
            b.append("    pub ")
                    .append(field)
                    .append(": ")
                    .append(ref(m.type(), hint))
                    .append(",\n");
            if (c.union()) largest = Math.max(largest, msize);
            else pos += msize;
        }
        if (c.union()) {
            if (largest < size)
                b.append("    pub ")
                        .append(fresh("__pad", counters, 0, taken))
                        .append(": [u8; ")
                        .append(size)
                        .append("],\n");
        } else {
            closeRun(b, accessors, runName, runStart, pos, run);
            if (pos > size)
                throw new EmitException(describe(id, c) + ": members end at byte " + pos + ", after its size " + size);
            pad(b, pos, size, taken, counters);
        }
        b.append("}\n");
        sizeAssert(b, self, size);
        plainImpl(b, self);
        if (c.union()) {
            b.append("impl core::fmt::Debug for ")
                    .append(self)
                    .append(
                            " {\n    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {\n        f.write_str(\"")
                    .append(self)
                    .append(" { .. }\")\n    }\n}\n");
        }
        if (!accessors.isEmpty())
            b.append("impl ").append(self).append(" {\n").append(accessors).append("}\n");
        return b.append('\n').toString();
    }

    /** A bitfield and the first byte of the run that stores it. */
    private record Member(BtfType.Member member, long runStart) {}

    private void closeRun(
            StringBuilder b, StringBuilder accessors, String runName, long runStart, long runEnd, List<Member> run)
            throws EmitException {
        if (runName == null || run.isEmpty()) return;
        StringBuilder names = new StringBuilder();
        for (Member m : run)
            names.append(names.isEmpty() ? "" : ", ")
                    .append(
                            m.member().name().isEmpty()
                                    ? "(unnamed)"
                                    : m.member().name());
        b.append("    /// bitfields ").append(names).append(": use the accessor methods\n");
        b.append("    pub ")
                .append(runName)
                .append(": [u8; ")
                .append(runEnd - runStart)
                .append("],\n");
        for (Member m : run) if (!m.member().name().isEmpty()) accessor(accessors, runName, m.runStart(), m.member());
        run.clear();
    }

    /** Getter and setter of one bitfield: little-endian bit numbering, as BTF on x86-64/arm64. */
    private void accessor(StringBuilder a, String storage, long runStart, BtfType.Member m) throws EmitException {
        int resolved = btf.resolve(m.type());
        boolean signed;
        long typeSize;
        switch (btf.type(resolved)) {
            case BtfType.Int i -> {
                signed = i.signed() && !i.isBool();
                typeSize = i.size();
            }
            case BtfType.Enum e -> {
                signed = e.signed();
                typeSize = e.size();
            }
            default ->
                throw new EmitException("bitfield '" + m.name() + "' has type "
                        + btf.type(resolved).kindName());
        }
        String rt = intType(typeSize, signed);
        long bitInRun = m.bitOffset() - runStart * 8;
        long lo = bitInRun / 8;
        long hi = (bitInRun + m.bitfieldSize() + 7) / 8;
        long shift = bitInRun - lo * 8;
        int bits = m.bitfieldSize();
        String mask = bits >= 128 ? "u128::MAX" : "((1u128 << " + bits + ") - 1)";
        String fn = identifier(m.name());
        String plain = fn.startsWith("r#") ? fn.substring(2) : fn;
        String load = "        let mut b = [0u8; 16];\n        b[.." + (hi - lo) + "].copy_from_slice(&self." + storage
                + "[" + lo + ".." + hi + "]);\n";
        a.append("    /// bitfield ")
                .append(m.name())
                .append(": ")
                .append(bits)
                .append(" bits at bit ")
                .append(m.bitOffset())
                .append('\n');
        a.append("    pub fn ")
                .append(fn)
                .append("(&self) -> ")
                .append(rt)
                .append(" {\n")
                .append(load);
        a.append("        let raw = (u128::from_le_bytes(b) >> ")
                .append(shift)
                .append(") & ")
                .append(mask)
                .append(";\n");
        if (signed) {
            a.append("        ((raw << ")
                    .append(128 - bits)
                    .append(") as i128 >> ")
                    .append(128 - bits)
                    .append(") as ")
                    .append(rt)
                    .append('\n');
        } else {
            a.append("        raw as ").append(rt).append('\n');
        }
        a.append("    }\n");
        a.append("    pub fn set_")
                .append(plain)
                .append("(&mut self, value: ")
                .append(rt)
                .append(") {\n")
                .append(load);
        a.append("        let mask = ")
                .append(mask)
                .append(" << ")
                .append(shift)
                .append(";\n");
        a.append("        let w = (u128::from_le_bytes(b) & !mask) | (((value as u128) << ")
                .append(shift)
                .append(") & mask);\n");
        a.append("        self.")
                .append(storage)
                .append('[')
                .append(lo)
                .append("..")
                .append(hi)
                .append("].copy_from_slice(&w.to_le_bytes()[..")
                .append(hi - lo)
                .append("]);\n    }\n");
    }

    private String enumeration(int id, BtfType.Enum e) {
        StringBuilder b = new StringBuilder();
        String base = intType(e.size(), e.signed());
        String type = base;
        b.append("/// C enum ")
                .append(e.name().isEmpty() ? "(anonymous)" : e.name())
                .append(", ")
                .append(e.size())
                .append(" bytes.\n");
        if (!e.name().isEmpty()) {
            type = names[id];
            b.append("pub type ").append(type).append(" = ").append(base).append(";\n");
        } else if (names[id] != null) {
            type = names[id]; // anonymous enum behind a typedef
            b.append("pub type ").append(type).append(" = ").append(base).append(";\n");
        }
        for (var v : e.values()) {
            String name = identifier(v.name());
            if (name.equals("r#true") || name.equals("r#false")) continue; // the kernel's enum { false, true }
            b.append("pub const ")
                    .append(unique(constNamesUsed, name))
                    .append(": ")
                    .append(type)
                    .append(" = ")
                    .append(literal(v.value(), e.size(), e.signed()))
                    .append(";\n");
        }
        return b.append('\n').toString();
    }

    private static String literal(long value, int size, boolean signed) {
        if (size >= 8) return signed ? Long.toString(value) : Long.toUnsignedString(value);
        long bits = size * 8L;
        long masked = value & ((1L << bits) - 1);
        if (!signed) return Long.toString(masked);
        return Long.toString((masked << (64 - bits)) >> (64 - bits));
    }

    // ---- references ----

    private String ref(int id, String hint) throws EmitException {
        if (++depth > MAX_DEPTH)
            throw new EmitException("type [" + id + "] is nested deeper than " + MAX_DEPTH + " levels");
        try {
            return switch (btf.type(id)) {
                case BtfType.Int i ->
                    i.isBool() || i.name().equals("char") || i.name().equals("unsigned char")
                            ? bytes(i.size(), "u8")
                            : intOrBytes(i.size(), i.signed());
                case BtfType.Float f -> f.size() == 4 ? "f32" : f.size() == 8 ? "f64" : "[u8; " + f.size() + "]";
                case BtfType.Ptr p -> "u64";
                case BtfType.Array a -> "[" + ref(a.elementType(), hint) + "; " + a.length() + "]";
                case BtfType.Modifier m -> ref(m.type(), hint);
                case BtfType.TypeTag t -> ref(t.type(), hint);
                case BtfType.Typedef t -> {
                    if (names[id] != null && emittedTypedef(id)) {
                        need(id);
                        yield names[id];
                    }
                    String viaTarget = typedefTargetName.get(id);
                    yield ref(t.type(), viaTarget != null ? viaTarget : t.name());
                }
                case Composite c -> {
                    String n = compositeName(id, hint);
                    need(id);
                    yield n;
                }
                case BtfType.Enum e -> {
                    need(id);
                    yield names[id] != null ? names[id] : intType(e.size(), e.signed());
                }
                default ->
                    throw new EmitException(
                            "type [" + id + "] " + btf.type(id).kindName() + " has no wasm32 representation by value");
            };
        } finally {
            depth--;
        }
    }

    private String compositeName(int id, String hint) {
        if (names[id] == null) names[id] = unique(typeNamesUsed, identifier(hint));
        return names[id];
    }

    private static String bytes(int size, String one) {
        return size == 1 ? one : "[" + one + "; " + size + "]";
    }

    private static String intOrBytes(int size, boolean signed) {
        return switch (size) {
            case 1, 2, 4, 8, 16 -> intType(size, signed);
            default -> "[u8; " + size + "]";
        };
    }

    static String intType(long size, boolean signed) {
        return (signed ? "i" : "u") + (size * 8);
    }

    // ---- names and text ----

    private static long pad(StringBuilder b, long from, long to, Set<String> taken, int[] counters) {
        if (to > from)
            b.append("    pub ")
                    .append(fresh("__pad", counters, 0, taken))
                    .append(": [u8; ")
                    .append(to - from)
                    .append("],\n");
        return Math.max(from, to);
    }

    private static String fresh(String prefix, int[] counters, int which, Set<String> taken) {
        String n;
        do n = prefix + counters[which]++;
        while (taken.contains(n));
        taken.add(n);
        return n;
    }

    private static void sizeAssert(StringBuilder b, String type, long size) {
        b.append("const _: () = assert!(core::mem::size_of::<")
                .append(type)
                .append(">() == ")
                .append(size)
                .append(");\n");
    }

    private void plainImpl(StringBuilder b, String type) {
        if (plainTrait != null)
            b.append("unsafe impl ")
                    .append(plainTrait)
                    .append(" for ")
                    .append(type)
                    .append(" {}\n");
    }

    private static String unique(Set<String> used, String name) {
        String base = name.startsWith("r#") ? name.substring(2) : name;
        String n = name;
        for (int i = 2; !used.add(n); i++) n = base + "___" + i;
        return n;
    }

    /** A C identifier as a Rust one: keywords become raw identifiers (or get an underscore). */
    public static String identifierOf(String name) {
        return identifier(name);
    }

    static String identifier(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_]", "_");
        if (s.isEmpty()) return "anon";
        if (Character.isDigit(s.charAt(0))) s = "_" + s;
        if (NOT_RAW.contains(s)) return s + "_";
        return KEYWORDS.contains(s) ? "r#" + s : s;
    }

    private static String describe(int id, Composite c) {
        return c.keyword() + " " + (c.name().isEmpty() ? "(anonymous)" : c.name()) + " [" + id + "]";
    }
}
