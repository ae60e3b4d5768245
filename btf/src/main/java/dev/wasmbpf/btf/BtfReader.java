package dev.wasmbpf.btf;

import dev.wasmbpf.btf.BtfType.Qualifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the raw BTF format (include/uapi/linux/btf.h): a header, a type section of
 * {@code struct btf_type} records each followed by its kind-specific data, and a string section.
 * Every read is bounds-checked against the section it belongs to, and every count is checked
 * against the bytes that remain before anything is allocated for it.
 */
final class BtfReader {
    static final int MAGIC = 0xEB9F;
    private static final int HEADER_MIN = 24;

    private final byte[] blob;
    private ByteBuffer buf;
    private int typeStart;
    private int typeEnd;
    private int strStart;
    private int strLen;
    private final Map<Integer, String> strings = new HashMap<>();

    BtfReader(byte[] blob) {
        this.blob = blob;
    }

    Btf read() throws BtfFormatException {
        if (blob.length < HEADER_MIN) {
            throw new BtfFormatException(
                    0, "expected a BTF header of at least " + HEADER_MIN + " bytes, found " + blob.length);
        }
        buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getShort(0) & 0xFFFF;
        if (magic == Integer.reverseBytes(MAGIC) >>> 16) {
            buf.order(ByteOrder.BIG_ENDIAN);
        } else if (magic != MAGIC) {
            throw new BtfFormatException(0, String.format("expected BTF magic 0xeb9f, found 0x%04x", magic));
        }
        int version = blob[2] & 0xFF;
        if (version != 1) throw new BtfFormatException(2, "expected BTF version 1, found " + version);
        long hdrLen = u32(4);
        if (hdrLen < HEADER_MIN || hdrLen > blob.length) {
            throw new BtfFormatException(
                    4,
                    "header length " + hdrLen + " must be between " + HEADER_MIN + " and the blob size " + blob.length);
        }
        long typeOff = u32(8), typeLen = u32(12), strOff = u32(16), strLenL = u32(20);
        typeStart = section(hdrLen, typeOff, typeLen, "type", 8);
        typeEnd = (int) (typeStart + typeLen);
        strStart = section(hdrLen, strOff, strLenL, "string", 16);
        strLen = (int) strLenL;
        if (strLen > 0 && blob[strStart] != 0) {
            throw new BtfFormatException(strStart, "expected the string section to start with an empty string (NUL)");
        }
        if (strLen > 0 && blob[strStart + strLen - 1] != 0) {
            throw new BtfFormatException(strStart + strLen - 1, "expected the string section to end with NUL");
        }
        List<BtfType> types = new ArrayList<>();
        types.add(new BtfType.Void());
        int pos = typeStart;
        while (pos < typeEnd) {
            pos = readType(pos, types);
        }
        return new Btf(types, buf.order(), java.util.Arrays.copyOfRange(blob, strStart, strStart + strLen));
    }

    private int section(long hdrLen, long off, long len, String what, int headerField) throws BtfFormatException {
        long start = hdrLen + off;
        if (start > blob.length || start + len > blob.length) {
            throw new BtfFormatException(
                    headerField,
                    what + " section [" + start + ", " + (start + len) + ") must lie inside the " + blob.length
                            + "-byte blob");
        }
        return (int) start;
    }

    private long u32(int at) {
        return Integer.toUnsignedLong(buf.getInt(at));
    }

    private void need(int pos, long bytes, String what) throws BtfFormatException {
        if (bytes > typeEnd - pos) {
            throw new BtfFormatException(
                    pos, "expected " + what + " (" + bytes + " bytes) but the type section ends at " + typeEnd);
        }
    }

    private int readType(int pos, List<BtfType> types) throws BtfFormatException {
        int id = types.size();
        need(pos, 12, "a btf_type record for type [" + id + "]");
        int nameOff = buf.getInt(pos);
        int info = buf.getInt(pos + 4);
        int sizeOrType = buf.getInt(pos + 8);
        int vlen = info & 0xFFFF;
        int kind = (info >>> 24) & 0x1F;
        boolean kindFlag = (info >>> 31) != 0;
        int data = pos + 12;
        String name = string(nameOff, pos, id);
        BtfType type;
        int end = data;
        switch (kind) {
            case 1 -> { // INT
                need(data, 4, "the INT encoding of type [" + id + "]");
                int enc = buf.getInt(data);
                int bits = enc & 0xFF, bitOff = (enc >>> 16) & 0xFF, encoding = (enc >>> 24) & 0xF;
                if (!(sizeOrType == 1 || sizeOrType == 2 || sizeOrType == 4 || sizeOrType == 8 || sizeOrType == 16)) {
                    throw new BtfFormatException(
                            pos + 8,
                            "INT [" + id + "] '" + name + "' size must be 1, 2, 4, 8 or 16, found "
                                    + Integer.toUnsignedString(sizeOrType));
                }
                if (bits == 0 || bits + bitOff > sizeOrType * 8) {
                    throw new BtfFormatException(
                            data,
                            "INT [" + id + "] '" + name + "' has " + bits + " bits at bit " + bitOff
                                    + ", which does not fit in " + sizeOrType + " bytes");
                }
                requireName(name, pos, id, "INT");
                type = new BtfType.Int(name, sizeOrType, encoding, bitOff, bits);
                end = data + 4;
            }
            case 2 -> type = new BtfType.Ptr(sizeOrType);
            case 3 -> { // ARRAY
                need(data, 12, "the btf_array of type [" + id + "]");
                type = new BtfType.Array(buf.getInt(data), buf.getInt(data + 4), u32(data + 8));
                end = data + 12;
            }
            case 4, 5 -> { // STRUCT, UNION
                need(data, 12L * vlen, vlen + " members of " + (kind == 4 ? "STRUCT" : "UNION") + " [" + id + "]");
                checkIdentifier(name, pos, id, true);
                List<BtfType.Member> members = new ArrayList<>(vlen);
                long sizeBits = Integer.toUnsignedLong(sizeOrType) * 8;
                for (int i = 0; i < vlen; i++) {
                    int m = data + 12 * i;
                    String mName = string(buf.getInt(m), m, id);
                    checkIdentifier(mName, m, id, true);
                    int off = buf.getInt(m + 8);
                    long bitOffset = kindFlag ? off & 0xFFFFFF : Integer.toUnsignedLong(off);
                    int bitfield = kindFlag ? off >>> 24 : 0;
                    if (bitOffset + bitfield > sizeBits) {
                        throw new BtfFormatException(
                                m + 8,
                                "member '" + mName + "' of type [" + id + "] at bit " + bitOffset + " lies outside the "
                                        + Integer.toUnsignedString(sizeOrType) + "-byte "
                                        + (kind == 4 ? "struct" : "union"));
                    }
                    members.add(new BtfType.Member(mName, buf.getInt(m + 4), bitOffset, bitfield));
                }
                type = new BtfType.Composite(name, kind == 5, sizeOrType, List.copyOf(members));
                end = data + 12 * vlen;
            }
            case 6, 19 -> { // ENUM, ENUM64
                int rec = kind == 6 ? 8 : 12;
                need(data, (long) rec * vlen, vlen + " enumerators of type [" + id + "]");
                checkIdentifier(name, pos, id, true);
                if (!(sizeOrType == 1 || sizeOrType == 2 || sizeOrType == 4 || sizeOrType == 8)) {
                    throw new BtfFormatException(
                            pos + 8,
                            "enum [" + id + "] '" + name + "' size must be 1, 2, 4 or 8, found "
                                    + Integer.toUnsignedString(sizeOrType));
                }
                List<BtfType.Enumerator> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int e = data + rec * i;
                    String eName = string(buf.getInt(e), e, id);
                    requireName(eName, e, id, "enumerator");
                    checkIdentifier(eName, e, id, false);
                    long value = kind == 6
                            ? (kindFlag ? buf.getInt(e + 4) : Integer.toUnsignedLong(buf.getInt(e + 4)))
                            : (Integer.toUnsignedLong(buf.getInt(e + 4)) | ((long) buf.getInt(e + 8) << 32));
                    values.add(new BtfType.Enumerator(eName, value));
                }
                type = new BtfType.Enum(name, sizeOrType, kindFlag, kind == 19, List.copyOf(values));
                end = data + rec * vlen;
            }
            case 7 -> {
                requireName(name, pos, id, "FWD");
                checkIdentifier(name, pos, id, false);
                type = new BtfType.Fwd(name, kindFlag);
            }
            case 8 -> {
                requireName(name, pos, id, "TYPEDEF");
                checkIdentifier(name, pos, id, false);
                type = new BtfType.Typedef(name, sizeOrType);
            }
            case 9 -> type = new BtfType.Modifier(Qualifier.VOLATILE, sizeOrType);
            case 10 -> type = new BtfType.Modifier(Qualifier.CONST, sizeOrType);
            case 11 -> type = new BtfType.Modifier(Qualifier.RESTRICT, sizeOrType);
            case 12 -> {
                requireName(name, pos, id, "FUNC");
                checkIdentifier(name, pos, id, false);
                type = new BtfType.Func(name, sizeOrType, vlen);
            }
            case 13 -> { // FUNC_PROTO
                need(data, 8L * vlen, vlen + " parameters of FUNC_PROTO [" + id + "]");
                List<BtfType.Param> params = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int p = data + 8 * i;
                    String pName = string(buf.getInt(p), p, id);
                    checkIdentifier(pName, p, id, true);
                    params.add(new BtfType.Param(pName, buf.getInt(p + 4)));
                }
                type = new BtfType.FuncProto(sizeOrType, List.copyOf(params));
                end = data + 8 * vlen;
            }
            case 14 -> { // VAR
                need(data, 4, "the linkage of VAR [" + id + "]");
                // Not checked as an identifier: clang names function-static variables "func.var".
                requireName(name, pos, id, "VAR");
                type = new BtfType.Var(name, sizeOrType, buf.getInt(data));
                end = data + 4;
            }
            case 15 -> { // DATASEC
                need(data, 12L * vlen, vlen + " variables of DATASEC [" + id + "]");
                requireName(name, pos, id, "DATASEC");
                List<BtfType.SectionVar> vars = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int v = data + 12 * i;
                    vars.add(new BtfType.SectionVar(buf.getInt(v), u32(v + 4), u32(v + 8)));
                }
                type = new BtfType.Datasec(name, Integer.toUnsignedLong(sizeOrType), List.copyOf(vars));
                end = data + 12 * vlen;
            }
            case 16 -> {
                if (!(sizeOrType == 2 || sizeOrType == 4 || sizeOrType == 8 || sizeOrType == 12 || sizeOrType == 16)) {
                    throw new BtfFormatException(
                            pos + 8,
                            "FLOAT [" + id + "] '" + name + "' size must be 2, 4, 8, 12 or 16, found "
                                    + Integer.toUnsignedString(sizeOrType));
                }
                requireName(name, pos, id, "FLOAT");
                type = new BtfType.Float(name, sizeOrType);
            }
            case 17 -> {
                need(data, 4, "the component index of DECL_TAG [" + id + "]");
                requireName(name, pos, id, "DECL_TAG");
                type = new BtfType.DeclTag(name, sizeOrType, buf.getInt(data));
                end = data + 4;
            }
            case 18 -> {
                requireName(name, pos, id, "TYPE_TAG");
                type = new BtfType.TypeTag(name, sizeOrType);
            }
            default -> throw new BtfFormatException(pos + 4, "type [" + id + "] has unknown kind " + kind);
        }
        types.add(type);
        return end;
    }

    private void requireName(String name, int pos, int id, String what) throws BtfFormatException {
        if (name.isEmpty()) throw new BtfFormatException(pos, what + " of type [" + id + "] must have a name");
    }

    /** C output writes these names as identifiers, so they must be identifiers. */
    private void checkIdentifier(String name, int pos, int id, boolean mayBeEmpty) throws BtfFormatException {
        if (name.isEmpty()) {
            if (mayBeEmpty) return;
            throw new BtfFormatException(pos, "type [" + id + "] needs a name");
        }
        char c0 = name.charAt(0);
        boolean ok = c0 == '_' || Character.isLetter(c0) && c0 < 128;
        for (int i = 1; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = c == '_' || c < 128 && Character.isLetterOrDigit(c);
        }
        if (!ok)
            throw new BtfFormatException(
                    pos, "name '" + printable(name) + "' of type [" + id + "] is not a C identifier");
    }

    private String string(int offset, int recordPos, int id) throws BtfFormatException {
        if (offset == 0) return "";
        String cached = strings.get(offset);
        if (cached != null) return cached;
        if (offset < 0 || offset >= strLen) {
            throw new BtfFormatException(
                    recordPos,
                    "name offset " + Integer.toUnsignedString(offset) + " of type [" + id + "] lies outside the "
                            + strLen + "-byte string section");
        }
        int start = strStart + offset, p = start, limit = strStart + strLen;
        while (p < limit && blob[p] != 0) p++;
        String s = new String(blob, start, p - start, StandardCharsets.UTF_8);
        strings.put(offset, s);
        return s;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 32 && c < 127) b.append(c);
            else b.append(String.format("\\x%02x", (int) c & 0xFF));
            if (b.length() > 64) return b + "...";
        }
        return b.toString();
    }
}
