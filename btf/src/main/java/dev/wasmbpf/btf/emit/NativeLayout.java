package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.BtfType.Composite;
import dev.wasmbpf.btf.BtfType.Member;
import dev.wasmbpf.btf.emit.LayoutPlan.MemberSlot;
import dev.wasmbpf.btf.emit.LayoutPlan.PadSlot;
import dev.wasmbpf.btf.emit.LayoutPlan.Slot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans structs and unions for the BPF target (clang -target bpf, the x86-64 System V record
 * layout rules) so that the C we write has exactly the BTF's offsets and sizes.
 *
 * <p>BTF keeps offsets and sizes but not the attributes that produced them (__packed,
 * __aligned(N), ____cacheline_aligned). Instead of guessing attributes, we lay the members out
 * the way clang will, and wherever clang would put a member earlier than BTF says we insert
 * unnamed bitfield padding; where clang would put it later (the type was packed) we pack the
 * whole type and pad explicitly. The struct's size is reached with trailing padding. Alignment
 * larger than natural is never written, which is invisible in sizeof/offsetof of the type and of
 * every type containing it, because containers get their own explicit padding.
 */
final class NativeLayout {
    private final Btf btf;
    private final Map<Integer, LayoutPlan> plans = new HashMap<>();

    NativeLayout(Btf btf) {
        this.btf = btf;
    }

    /** Alignment of the type as we write it for the BPF target. */
    int alignOf(int id) throws EmitException {
        return switch (btf.type(id)) {
            case BtfType.Int i -> i.size();
            case BtfType.Float f -> Math.min(f.size(), 8) == 8 ? 8 : Integer.highestOneBit(f.size());
            case BtfType.Ptr p -> Btf.POINTER_SIZE;
            case BtfType.Enum e -> e.size();
            case BtfType.Array a -> alignOf(a.elementType());
            case BtfType.Typedef t -> alignOf(t.type());
            case BtfType.Modifier m -> alignOf(m.type());
            case BtfType.TypeTag t -> alignOf(t.type());
            case Composite c -> plan(id).align();
            default -> 1;
        };
    }

    LayoutPlan plan(int id) throws EmitException {
        LayoutPlan p = plans.get(id);
        if (p == null) {
            Composite c = (Composite) btf.type(id);
            p = c.union() ? planUnion(id, c) : planStruct(id, c);
            plans.put(id, p);
        }
        return p;
    }

    private LayoutPlan planStruct(int id, Composite c) throws EmitException {
        LayoutPlan natural = tryStruct(id, c, false);
        return natural != null ? natural : tryStruct(id, c, true);
    }

    /** Returns null when the unpacked layout cannot reach the BTF offsets. */
    private LayoutPlan tryStruct(int id, Composite c, boolean packed) throws EmitException {
        List<Slot> slots = new ArrayList<>();
        long pos = 0; // in bits
        int align = 1;
        for (Member m : c.members()) {
            long target = m.bitOffset();
            if (target < pos) {
                if (!packed) return null;
                throw new EmitException(describe(id, c) + ": member '" + m.name() + "' at bit " + target
                        + " overlaps the previous member (ends at bit " + pos + "); C cannot express that");
            }
            int a = alignOf(m.type());
            long size = btf.sizeOf(m.type());
            if (m.isBitfield()) {
                long unit = size * 8;
                if (!packed) {
                    long natural = pos;
                    if (natural % (a * 8L) + m.bitfieldSize() > unit) natural = alignUp(natural, a * 8L);
                    if (natural > target) return null;
                    if (target % (a * 8L) + m.bitfieldSize() > unit) return null; // would straddle its unit
                }
                if (target > pos) slots.add(new PadSlot(pos, target));
                slots.add(new MemberSlot(m));
                pos = target + m.bitfieldSize();
            } else {
                long natural = alignUp(alignUp(pos, 8), packed ? 8 : a * 8L);
                if (natural > target) {
                    if (!packed) return null;
                    throw new EmitException(describe(id, c) + ": member '" + m.name() + "' at bit " + target
                            + " is not byte-aligned after bit " + pos);
                }
                if (target > pos) slots.add(new PadSlot(pos, target));
                slots.add(new MemberSlot(m));
                pos = target + size * 8;
            }
            if (!packed) align = Math.max(align, a);
        }
        long sizeBits = Integer.toUnsignedLong(c.size()) * 8;
        if (!packed) {
            if (Integer.toUnsignedLong(c.size()) % align != 0) return null;
            if (alignUp(alignUp(pos, 8), align * 8L) > sizeBits) return null;
        }
        if (pos < sizeBits) slots.add(new PadSlot(pos, sizeBits));
        return new LayoutPlan(packed, packed ? 1 : align, List.copyOf(slots));
    }

    private LayoutPlan planUnion(int id, Composite c) throws EmitException {
        int align = 1;
        long largest = 0;
        List<Slot> slots = new ArrayList<>();
        for (Member m : c.members()) {
            if (m.bitOffset() != 0) {
                throw new EmitException(describe(id, c) + ": union member '" + m.name() + "' at bit " + m.bitOffset()
                        + "; C places every union member at offset 0");
            }
            align = Math.max(align, alignOf(m.type()));
            long bytes = m.isBitfield() ? (m.bitfieldSize() + 7) / 8 : btf.sizeOf(m.type());
            largest = Math.max(largest, bytes);
            slots.add(new MemberSlot(m));
        }
        long size = Integer.toUnsignedLong(c.size());
        boolean packed = size % align != 0 || alignUp(largest, align) > size;
        if (packed) align = 1;
        if (alignUp(largest, align) < size) slots.add(new PadSlot(0, size * 8));
        return new LayoutPlan(packed, align, List.copyOf(slots));
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private static String describe(int id, Composite c) {
        return c.keyword() + " " + (c.name().isEmpty() ? "(anonymous)" : c.name()) + " [" + id + "]";
    }
}
