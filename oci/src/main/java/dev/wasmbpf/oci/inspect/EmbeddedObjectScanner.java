package dev.wasmbpf.oci.inspect;

import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.wasmbpf.bpf.MapType;
import dev.wasmbpf.bpf.SectionTable;
import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.elf.BpfMap;
import dev.wasmbpf.btf.elf.BpfProgram;
import dev.wasmbpf.btf.elf.ObjectFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds BPF objects a guest carries in its data (a skeleton embeds X.bpf.o as a byte array): lays
 * the active data segments out at their memory offsets, then looks for 64-bit little-endian ELF
 * headers with e_machine EM_BPF and parses each with the btf module's reader.
 */
final class EmbeddedObjectScanner {
    private static final int EM_BPF = 247;
    private static final int ELF64_HEADER_SIZE = 64;
    private static final int ELF64_SECTION_HEADER_SIZE = 64;
    private static final int SHT_NOBITS = 8;
    private static final int MAX_GAP = 4096;

    private EmbeddedObjectScanner() {}

    static List<EmbeddedBpfObject> scan(DataSegment[] segments) {
        List<EmbeddedBpfObject> found = new ArrayList<>();
        for (Region region : regions(segments)) {
            byte[] image = region.bytes();
            for (int at = indexOfElf(image, 0); at >= 0; at = indexOfElf(image, at + 1)) {
                int size = elfSize(image, at);
                if (size <= 0) {
                    continue;
                }
                byte[] elf = Arrays.copyOfRange(image, at, at + size);
                try {
                    found.add(describe(region.start() + at, elf));
                    at += size - 1;
                } catch (ToolchainException | RuntimeException e) {
                    // Bytes that merely look like an ELF header: not an object libbpf could open either.
                }
            }
        }
        return found;
    }

    private record Region(long start, byte[] bytes) {}

    private record Placed(long offset, byte[] data) {
        long end() {
            return offset + data.length;
        }
    }

    /** Active segments with constant offsets, merged where they (nearly) touch; other segments alone. */
    private static List<Region> regions(DataSegment[] segments) {
        List<Region> regions = new ArrayList<>();
        List<Placed> placed = new ArrayList<>();
        for (DataSegment segment : segments) {
            Optional<Long> offset = constantOffset(segment);
            if (offset.isPresent()) {
                placed.add(new Placed(offset.get(), segment.data()));
            } else {
                regions.add(new Region(-1, segment.data()));
            }
        }
        placed.sort(Comparator.comparingLong(Placed::offset));
        int i = 0;
        while (i < placed.size()) {
            long start = placed.get(i).offset();
            long end = placed.get(i).end();
            int j = i + 1;
            // A tool may split one array at a run of zeros into two segments: bridge small gaps.
            while (j < placed.size() && placed.get(j).offset() <= end + MAX_GAP) {
                end = Math.max(end, placed.get(j).end());
                j++;
            }
            if (end - start <= Integer.MAX_VALUE - 8) {
                byte[] image = new byte[(int) (end - start)];
                for (Placed p : placed.subList(i, j)) {
                    System.arraycopy(p.data(), 0, image, (int) (p.offset() - start), p.data().length);
                }
                regions.add(new Region(start, image));
            }
            i = j;
        }
        return regions;
    }

    private static Optional<Long> constantOffset(DataSegment segment) {
        if (!(segment instanceof ActiveDataSegment active)) {
            return Optional.empty();
        }
        List<Instruction> offset = active.offsetInstructions();
        if (offset.isEmpty() || offset.getFirst().opcode() != OpCode.I32_CONST) {
            return Optional.empty();
        }
        return Optional.of(offset.getFirst().operand(0) & 0xffffffffL);
    }

    private static int indexOfElf(byte[] image, int from) {
        for (int i = from; i + ELF64_HEADER_SIZE <= image.length; i++) {
            if (image[i] == 0x7f
                    && image[i + 1] == 'E'
                    && image[i + 2] == 'L'
                    && image[i + 3] == 'F'
                    && image[i + 4] == 2 /* ELFCLASS64 */
                    && image[i + 5] == 1 /* little-endian */
                    && (image[i + 18] & 0xff | (image[i + 19] & 0xff) << 8) == EM_BPF) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The object's length, which the header does not state: the end of the section header table or
     * of the last section with file contents, whichever is later. 0 when the header is inconsistent.
     */
    private static int elfSize(byte[] image, int at) {
        ByteBuffer header =
                ByteBuffer.wrap(image, at, image.length - at).slice().order(ByteOrder.LITTLE_ENDIAN);
        long available = image.length - at;
        long shoff = header.getLong(0x28);
        int shentsize = Short.toUnsignedInt(header.getShort(0x3a));
        int shnum = Short.toUnsignedInt(header.getShort(0x3c));
        if (shentsize != ELF64_SECTION_HEADER_SIZE || shoff <= 0 || shoff > available || shnum == 0) {
            return 0;
        }
        long end = shoff + (long) shnum * shentsize;
        if (end > available) {
            return 0;
        }
        for (int s = 0; s < shnum; s++) {
            long base = shoff + (long) s * shentsize;
            int type = header.getInt((int) base + 4);
            long offset = header.getLong((int) base + 0x18);
            long size = header.getLong((int) base + 0x20);
            if (type != SHT_NOBITS && size > 0) {
                if (offset < 0 || size < 0 || offset > available || size > available - offset) {
                    return 0;
                }
                end = Math.max(end, offset + size);
            }
        }
        return (int) end;
    }

    private static EmbeddedBpfObject describe(long memoryOffset, byte[] elf) throws ToolchainException {
        ObjectFile object = ObjectFile.parse(elf);
        List<EmbeddedBpfObject.Program> programs =
                object.programs().stream().map(EmbeddedObjectScanner::program).toList();
        List<EmbeddedBpfObject.Map> maps =
                object.maps().stream().map(EmbeddedObjectScanner::map).toList();
        int coreRelocations =
                object.btfExt().map(ext -> ext.coreRelocations().size()).orElse(0);
        return new EmbeddedBpfObject(
                memoryOffset, elf.length, object.license(), object.btf().isPresent(), coreRelocations, programs, maps);
    }

    private static EmbeddedBpfObject.Program program(BpfProgram program) {
        return new EmbeddedBpfObject.Program(program.name(), program.section(), SectionTable.lookup(program.section()));
    }

    private static EmbeddedBpfObject.Map map(BpfMap map) {
        return new EmbeddedBpfObject.Map(
                map.name(),
                map.internal(),
                Optional.of(MapType.of(map.mapType())).filter(type -> type != MapType.UNSPEC),
                map.maxEntries());
    }
}
