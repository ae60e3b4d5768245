package dev.wasmbpf.runtime;

/**
 * Checks the sizes a module declares against the bytes it has, before Chicory's parser sees them: the
 * parser allocates arrays of the declared length first (a custom section claiming a 2 GiB name took the
 * JVM down with "Requested array size exceeds VM limit"). Sections must fit in the file, vectors can't
 * have more entries than their section has bytes, names must fit in their section, and a function may
 * declare at most {@value #MAX_LOCALS} locals (the limit browsers and wasmtime use).
 */
final class ModulePrescan {
    static final long MAX_LOCALS = 50_000;
    private static final int CUSTOM = 0;
    private static final int IMPORT = 2;
    private static final int EXPORT = 7;
    private static final int START = 8;
    private static final int CODE = 10;
    private static final int DATA_COUNT = 12;

    private final byte[] bytes;
    private int at;

    private ModulePrescan(byte[] bytes) {
        this.bytes = bytes;
        this.at = 8;
    }

    /** Null when the module's declared sizes are plausible, else what is wrong. */
    static String problem(byte[] bytes) {
        try {
            return new ModulePrescan(bytes).sections();
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return "truncated or malformed at byte " + e.getMessage();
        }
    }

    private String sections() {
        while (at < bytes.length) {
            int id = bytes[at++] & 0xFF;
            long size = leb();
            int start = at;
            if (size > bytes.length - start) {
                return "section " + id + " at byte " + (start - 1) + " declares " + size + " bytes, but only "
                        + (bytes.length - start) + " remain";
            }
            int end = (int) (start + size);
            String problem = section(id, end);
            if (problem != null) {
                return problem;
            }
            at = end;
        }
        return null;
    }

    private String section(int id, int end) {
        if (id == CUSTOM) {
            long nameLength = leb();
            return nameLength > end - at
                    ? "custom section name of " + nameLength + " bytes overruns its section"
                    : null;
        }
        if (id == START || id == DATA_COUNT || id > DATA_COUNT + 1) {
            return null;
        }
        long count = leb();
        if (count > end - at) {
            return "section " + id + " declares " + count + " entries in " + (end - at) + " bytes";
        }
        if (id == CODE) {
            return code(count, end);
        }
        if (id == IMPORT || id == EXPORT) {
            return names(id, count, end);
        }
        return null;
    }

    private String code(long count, int end) {
        for (long i = 0; i < count; i++) {
            long bodySize = leb();
            int bodyStart = at;
            if (bodySize > end - bodyStart) {
                return "function body " + i + " declares " + bodySize + " bytes beyond its section";
            }
            long groups = leb();
            if (groups > bodySize) {
                return "function body " + i + " declares " + groups + " local groups in " + bodySize + " bytes";
            }
            long locals = 0;
            for (long g = 0; g < groups; g++) {
                locals += leb();
                valueType();
                if (locals > MAX_LOCALS) {
                    return "function body " + i + " declares more than " + MAX_LOCALS + " locals";
                }
            }
            at = (int) (bodyStart + bodySize);
        }
        return null;
    }

    private String names(int id, long count, int end) {
        for (long i = 0; i < count; i++) {
            int fields = id == IMPORT ? 2 : 1;
            for (int f = 0; f < fields; f++) {
                long length = leb();
                if (length > end - at) {
                    return "name of " + length + " bytes in section " + id + " overruns it";
                }
                at += (int) length;
            }
            int kind = bytes[at++] & 0xFF;
            if (id == EXPORT) {
                leb();
                continue;
            }
            switch (kind) {
                case 0 -> leb();
                case 1 -> {
                    at++;
                    limits();
                }
                case 2 -> limits();
                case 3 -> at += 2;
                case 4 -> {
                    at++;
                    leb();
                }
                default -> {
                    return "import " + i + " has unknown kind " + kind;
                }
            }
        }
        return null;
    }

    /** One value type: a byte, or (typed function references) 0x63/0x64 followed by a heap type. */
    private void valueType() {
        int type = bytes[at++] & 0xFF;
        if (type == 0x63 || type == 0x64) {
            leb();
        }
    }

    private void limits() {
        int flags = bytes[at++] & 0xFF;
        leb();
        if ((flags & 1) != 0) {
            leb();
        }
    }

    /** An unsigned LEB128 of up to 64 bits; throws on running out of bytes. */
    private long leb() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= bytes.length) {
                throw new IllegalStateException(Integer.toString(at));
            }
            int b = bytes[at++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException(Integer.toString(at));
    }
}
