package dev.wasmbpf.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the BPF objects a module carries verbatim in its data: a wasm-bpf guest embeds its {@code .bpf.o} (the
 * skeleton's {@code elf_bytes}) and later hands those bytes to {@code wasm_load_bpf_object}. Knowing them before
 * Chicory has parsed the module lets the host start work that only depends on the object's bytes (our ELF/BTF
 * precheck) on the second core, off the path to attach.
 *
 * <p>Only a hint: a candidate is a 64-bit little-endian ELF header with {@code e_machine == EM_BPF} whose section
 * headers and sections fit in the module; its length is where its last section or its section header table ends
 * (clang puts the table last, so that is the file's length). Whatever the guest really loads is checked as
 * always; a wrong or missed candidate only means the check runs on the guest's thread instead.
 */
final class EmbeddedBpfObjects {
    /** {@code EM_BPF} from elf.h. */
    private static final int EM_BPF = 247;

    private static final int ELF64_HEADER = 64;
    private static final int ELF64_SECTION_HEADER = 64;
    private static final int SHT_NOBITS = 8;

    private EmbeddedBpfObjects() {}

    /** The embedded objects, in the order they appear; copies of the bytes. */
    static List<byte[]> find(byte[] module) {
        List<byte[]> found = new ArrayList<>();
        ByteBuffer le = ByteBuffer.wrap(module).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at <= module.length - ELF64_HEADER) {
            long end = isBpfElfHeader(module, at) ? objectEnd(le, at) : -1;
            if (end > 0) {
                found.add(Arrays.copyOfRange(module, at, (int) end));
                at = (int) end;
            } else {
                at++;
            }
        }
        return found;
    }

    private static boolean isBpfElfHeader(byte[] b, int at) {
        return b[at] == 0x7f
                && b[at + 1] == 'E'
                && b[at + 2] == 'L'
                && b[at + 3] == 'F'
                && b[at + 4] == 2 // ELFCLASS64
                && b[at + 5] == 1 // ELFDATA2LSB
                && (b[at + 18] & 0xFF | (b[at + 19] & 0xFF) << 8) == EM_BPF;
    }

    /** Where the object starting at {@code at} ends (exclusive, in module offsets), or -1 if it does not fit. */
    private static long objectEnd(ByteBuffer le, int at) {
        long available = le.limit() - (long) at;
        long sectionHeaders = le.getLong(at + 0x28);
        int entrySize = le.getShort(at + 0x3A) & 0xFFFF;
        int count = le.getShort(at + 0x3C) & 0xFFFF;
        if (entrySize != ELF64_SECTION_HEADER
                || count == 0
                || sectionHeaders < ELF64_HEADER
                || sectionHeaders > available
                || (long) count * entrySize > available - sectionHeaders) {
            return -1;
        }
        long end = sectionHeaders + (long) count * entrySize;
        for (int i = 0; i < count; i++) {
            int header = (int) (at + sectionHeaders + (long) i * entrySize);
            int type = le.getInt(header + 4);
            long offset = le.getLong(header + 0x18);
            long size = le.getLong(header + 0x20);
            if (type == SHT_NOBITS || size == 0) {
                continue;
            }
            if (offset < 0 || size < 0 || offset > available || size > available - offset) {
                return -1;
            }
            end = Math.max(end, offset + size);
        }
        return at + end;
    }
}
