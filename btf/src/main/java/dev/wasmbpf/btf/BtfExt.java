package dev.wasmbpf.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The .BTF.ext section of a BPF object (struct btf_ext_header in tools/lib/bpf/libbpf_internal.h):
 * per program section, which BTF function starts at which instruction, the source line of
 * instructions, and the CO-RE relocations that libbpf resolves against the kernel's BTF.
 */
public record BtfExt(List<FuncInfo> funcInfos, List<LineInfo> lineInfos, List<CoreRelocation> coreRelocations) {
    /** {@code insnOffset} is in bytes from the start of {@code section}, as in the ELF file. */
    public record FuncInfo(String section, long insnOffset, int typeId) {}

    public record LineInfo(String section, long insnOffset, String file, String line, int lineNumber, int column) {}

    /** {@code accessString} like "0:1:2" walks members and array elements from {@code typeId}. */
    public record CoreRelocation(String section, long insnOffset, int typeId, String accessString, int kind) {}

    private interface RecordReader {
        void read(String section, ByteBuffer b, int at) throws BtfFormatException;
    }

    /** Parses .BTF.ext; names are resolved in the object's .BTF string section. */
    public static BtfExt parse(byte[] blob, Btf btf) throws BtfFormatException {
        if (blob.length < 8)
            throw new BtfFormatException(0, "expected a .BTF.ext header of at least 8 bytes, found " + blob.length);
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getShort(0) & 0xFFFF;
        if (magic == 0x9FEB) b.order(ByteOrder.BIG_ENDIAN);
        else if (magic != BtfReader.MAGIC)
            throw new BtfFormatException(0, String.format(".BTF.ext: expected magic 0xeb9f, found 0x%04x", magic));
        long hdrLen = Integer.toUnsignedLong(b.getInt(4));
        if (hdrLen < 24 || hdrLen > blob.length) {
            throw new BtfFormatException(
                    4, ".BTF.ext header length " + hdrLen + " must be between 24 and " + blob.length);
        }
        List<FuncInfo> funcs = new ArrayList<>();
        List<LineInfo> lines = new ArrayList<>();
        List<CoreRelocation> relos = new ArrayList<>();
        readInfo(
                b,
                blob.length,
                hdrLen,
                8,
                "func_info",
                8,
                btf,
                (sec, buf, at) ->
                        funcs.add(new FuncInfo(sec, Integer.toUnsignedLong(buf.getInt(at)), buf.getInt(at + 4))));
        readInfo(b, blob.length, hdrLen, 16, "line_info", 16, btf, (sec, buf, at) -> {
            int lineCol = buf.getInt(at + 12);
            lines.add(new LineInfo(
                    sec,
                    Integer.toUnsignedLong(buf.getInt(at)),
                    btf.stringAt(Integer.toUnsignedLong(buf.getInt(at + 4))),
                    btf.stringAt(Integer.toUnsignedLong(buf.getInt(at + 8))),
                    lineCol >>> 10,
                    lineCol & 0x3FF));
        });
        if (hdrLen >= 32) {
            readInfo(
                    b,
                    blob.length,
                    hdrLen,
                    24,
                    "core_relo",
                    16,
                    btf,
                    (sec, buf, at) -> relos.add(new CoreRelocation(
                            sec,
                            Integer.toUnsignedLong(buf.getInt(at)),
                            buf.getInt(at + 4),
                            btf.stringAt(Integer.toUnsignedLong(buf.getInt(at + 8))),
                            buf.getInt(at + 12))));
        }
        for (CoreRelocation r : relos) {
            if (r.typeId() < 0 || r.typeId() >= btf.count()) {
                throw new BtfFormatException(
                        -1,
                        ".BTF.ext core_relo in " + r.section() + " refers to type [" + r.typeId() + "], only "
                                + btf.count() + " exist");
            }
        }
        for (FuncInfo f : funcs) {
            if (f.typeId() <= 0 || f.typeId() >= btf.count()) {
                throw new BtfFormatException(
                        -1,
                        ".BTF.ext func_info in " + f.section() + " refers to type [" + f.typeId() + "], only "
                                + btf.count() + " exist");
            }
        }
        return new BtfExt(List.copyOf(funcs), List.copyOf(lines), List.copyOf(relos));
    }

    private static void readInfo(
            ByteBuffer b,
            int blobLen,
            long hdrLen,
            int headerField,
            String what,
            int minRecord,
            Btf btf,
            RecordReader reader)
            throws BtfFormatException {
        long off = Integer.toUnsignedLong(b.getInt(headerField));
        long len = Integer.toUnsignedLong(b.getInt(headerField + 4));
        if (len == 0) return;
        long start = hdrLen + off, end = start + len;
        if (end > blobLen) {
            throw new BtfFormatException(
                    headerField,
                    ".BTF.ext " + what + " [" + start + ", " + end + ") lies outside the " + blobLen + "-byte section");
        }
        if (len < 4) throw new BtfFormatException(start, ".BTF.ext " + what + ": expected a record size");
        long recSize = Integer.toUnsignedLong(b.getInt((int) start));
        if (recSize < minRecord || recSize > 1024) {
            throw new BtfFormatException(
                    start,
                    ".BTF.ext " + what + " record size " + recSize + " must be between " + minRecord + " and 1024");
        }
        long pos = start + 4;
        while (pos < end) {
            if (end - pos < 8)
                throw new BtfFormatException(pos, ".BTF.ext " + what + ": expected a section header (8 bytes)");
            String section = btf.stringAt(Integer.toUnsignedLong(b.getInt((int) pos)));
            long n = Integer.toUnsignedLong(b.getInt((int) pos + 4));
            pos += 8;
            if (n * recSize > end - pos) {
                throw new BtfFormatException(
                        pos - 4,
                        ".BTF.ext " + what + " of " + section + ": " + n + " records of " + recSize
                                + " bytes do not fit in the remaining " + (end - pos) + " bytes");
            }
            for (long i = 0; i < n; i++) {
                reader.read(section, b, (int) pos);
                pos += recSize;
            }
        }
    }
}
