package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.BtfType.Member;
import java.util.List;

/**
 * How to write one struct or union in C so that a compiler lays it out exactly as its BTF says:
 * the members in order with explicit padding between them, and whether the type must be
 * {@code __attribute__((packed))}. {@code align} is the alignment the written type will have.
 */
public record LayoutPlan(boolean packed, int align, List<Slot> slots) {
    public sealed interface Slot {}

    /** A BTF member, written at its BTF bit offset. */
    public record MemberSlot(Member member) implements Slot {}

    /** Unnamed padding covering bits [fromBit, toBit) of the type. */
    public record PadSlot(long fromBit, long toBit) implements Slot {
        public long bits() {
            return toBit - fromBit;
        }
    }
}
