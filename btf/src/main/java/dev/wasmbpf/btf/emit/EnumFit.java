package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.BtfType;

/**
 * Whether a C compiler gives an enum, written with its values (and
 * {@code __attribute__((packed))} when smaller than int), the size its BTF records. When it does
 * not (an 8-byte enum whose values all fit in 32 bits, say), members of that enum are written as
 * a plain integer of the right size instead.
 */
final class EnumFit {
    private EnumFit() {}

    static boolean needsPacked(BtfType.Enum e) {
        return e.size() < 4;
    }

    static boolean compilerSizeMatches(BtfType.Enum e) {
        long min = 0, max = 0;
        boolean hugeUnsigned = false;
        for (BtfType.Enumerator v : e.values()) {
            long x = v.value();
            if (!e.signed() && e.is64() && x < 0) hugeUnsigned = true; // above Long.MAX_VALUE
            else {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        if (hugeUnsigned && min < 0) return false; // no C type holds both
        int needed;
        if (hugeUnsigned) needed = 8;
        else if (e.size() < 4) needed = fits(min, max, 1) ? 1 : fits(min, max, 2) ? 2 : fits(min, max, 4) ? 4 : 8;
        else
            needed = (min >= Integer.MIN_VALUE && max <= 0xFFFF_FFFFL && !(min < 0 && max > Integer.MAX_VALUE)) ? 4 : 8;
        return needed == e.size();
    }

    private static boolean fits(long min, long max, int bytes) {
        long bits = bytes * 8L;
        if (min < 0) return min >= -(1L << (bits - 1)) && max < (1L << (bits - 1));
        return max < (1L << bits) || bits == 64;
    }
}
