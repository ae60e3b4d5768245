package dev.wasmbpf.btf.elf;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.BtfExt;
import dev.wasmbpf.btf.BtfFormatException;
import dev.wasmbpf.btf.BtfType;
import dev.wasmbpf.btf.ToolchainException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A BPF ELF object (X.bpf.o) seen the way libbpf sees it: its BTF and .BTF.ext, its maps,
 * programs and global-data sections. Reading never loads anything into the kernel.
 */
public final class ObjectFile {
    /** Files larger than this are refused before reading, so a wrong path cannot exhaust memory. */
    public static final long MAX_FILE_SIZE = 512L << 20;

    private final ElfFile elf;
    private final Optional<Btf> btf;
    private final Optional<BtfExt> btfExt;
    private final List<BpfMap> maps;
    private final List<BpfProgram> programs;
    private final List<DataSection> dataSections;
    private final String license;

    private ObjectFile(
            ElfFile elf,
            Optional<Btf> btf,
            Optional<BtfExt> btfExt,
            List<BpfMap> maps,
            List<BpfProgram> programs,
            List<DataSection> dataSections,
            String license) {
        this.elf = elf;
        this.btf = btf;
        this.btfExt = btfExt;
        this.maps = maps;
        this.programs = programs;
        this.dataSections = dataSections;
        this.license = license;
    }

    public static ObjectFile read(Path path) throws ToolchainException, IOException {
        return parse(readBounded(path));
    }

    /** Reads a file after checking its size against {@link #MAX_FILE_SIZE}. */
    public static byte[] readBounded(Path path) throws ToolchainException, IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE)
            throw new ToolchainException(
                    path + ": " + size + " bytes is larger than the " + MAX_FILE_SIZE + "-byte limit");
        return Files.readAllBytes(path);
    }

    public static ObjectFile parse(byte[] bytes) throws ToolchainException {
        ElfFile elf = ElfFile.parse(bytes);
        if (elf.machine() != ElfFile.EM_BPF) {
            throw new ElfFormatException(
                    18, "expected e_machine EM_BPF (247), found " + elf.machine() + ": not a BPF object");
        }
        Optional<Btf> btf = Optional.empty();
        Optional<BtfExt> ext = Optional.empty();
        Optional<ElfSection> btfSection = elf.section(".BTF");
        if (btfSection.isPresent()) {
            btf = Optional.of(Btf.parse(elf.contents(btfSection.get())));
            Optional<ElfSection> extSection = elf.section(".BTF.ext");
            if (extSection.isPresent()) ext = Optional.of(BtfExt.parse(elf.contents(extSection.get()), btf.get()));
        }
        List<BpfProgram> programs = programs(elf);
        List<DataSection> data = dataSections(elf, btf);
        List<BpfMap> maps = new ArrayList<>(userMaps(elf, btf));
        for (DataSection d : data) maps.add(new BpfMap(d.name(), d.name(), true, -1, 1, 0, 0));
        String license =
                elf.section("license").map(s -> cString(elf.contents(s))).orElse("");
        return new ObjectFile(elf, btf, ext, List.copyOf(maps), programs, data, license);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static List<BpfProgram> programs(ElfFile elf) {
        List<BpfProgram> out = new ArrayList<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (!sym.isFunction()
                    || sym.sectionIndex() <= 0
                    || sym.sectionIndex() >= elf.sections().size()) continue;
            ElfSection sec = elf.sections().get(sym.sectionIndex());
            if (!sec.executable() || sec.name().equals(".text")) continue;
            out.add(new BpfProgram(sym.name(), sec.name(), sec.index(), sym.value(), sym.size()));
        }
        // libbpf orders programs by section, then by position (cmp_progs in libbpf.c).
        out.sort(Comparator.comparingInt(BpfProgram::sectionIndex).thenComparingLong(BpfProgram::offset));
        return List.copyOf(out);
    }

    private static List<BpfMap> userMaps(ElfFile elf, Optional<Btf> btf) throws BtfFormatException {
        List<BpfMap> out = new ArrayList<>();
        if (btf.isPresent() && elf.section(".maps").isPresent()) {
            Btf b = btf.get();
            BtfType.Datasec maps = b.datasec(".maps")
                    .orElseThrow(() -> new BtfFormatException(
                            -1, "the object has a .maps section but no DATASEC '.maps' in its BTF"));
            for (BtfType.SectionVar sv : maps.vars()) {
                BtfType.Var v = (BtfType.Var) b.type(sv.type());
                out.add(describeMap(b, v));
            }
        }
        elf.section("maps").ifPresent(legacy -> {
            for (ElfSymbol sym : elf.symbols()) {
                if (sym.sectionIndex() == legacy.index() && sym.bind() == ElfSymbol.STB_GLOBAL) {
                    out.add(new BpfMap(sym.name(), "maps", false, -1, 0, 0, 0));
                }
            }
        });
        return out;
    }

    /** Reads the __uint()/__type() members of a BTF map definition (see bpf_helpers.h). */
    private static BpfMap describeMap(Btf b, BtfType.Var v) {
        int type = -1, key = 0, value = 0;
        long max = 0;
        if (b.type(b.resolve(v.type())) instanceof BtfType.Composite def) {
            for (BtfType.Member m : def.members()) {
                int pointee = b.type(b.resolve(m.type())) instanceof BtfType.Ptr p ? p.type() : 0;
                long n = b.type(b.resolve(pointee)) instanceof BtfType.Array a ? a.length() : -1;
                switch (m.name()) {
                    case "type" -> type = (int) n;
                    case "max_entries" -> max = n;
                    case "key" -> key = pointee;
                    case "value" -> value = pointee;
                    default -> {}
                }
            }
        }
        return new BpfMap(v.name(), ".maps", false, type, max, key, value);
    }

    private static List<DataSection> dataSections(ElfFile elf, Optional<Btf> btf) throws BtfFormatException {
        List<DataSection> out = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            String n = s.name();
            boolean ro = isDataName(n, ".rodata");
            if (!ro && !isDataName(n, ".data") && !isDataName(n, ".bss")) continue;
            if ((s.flags() & ElfSection.SHF_ALLOC) == 0 || s.size() == 0) continue;
            Optional<BtfType.Datasec> layout = Optional.empty();
            Optional<BtfType.Datasec> declared = btf.flatMap(b -> b.datasec(n));
            if (declared.isPresent()) layout = Optional.of(fixup(elf, s, btf.get(), declared.get()));
            out.add(new DataSection(n, ident(n), s.size(), ro, layout, elf.contents(s)));
        }
        btf.flatMap(b -> b.datasec(".kconfig")).ifPresent(d -> {
            long end = 0;
            for (BtfType.SectionVar v : d.vars()) end = Math.max(end, v.offset() + v.size());
            out.add(new DataSection(".kconfig", "kconfig", end, true, Optional.of(d), new byte[0]));
        });
        return List.copyOf(out);
    }

    private static boolean isDataName(String name, String base) {
        return name.equals(base) || name.startsWith(base + ".");
    }

    /** bpftool's identifier for an internal map: ".data.foo" -> "data_foo". */
    static String ident(String section) {
        StringBuilder b = new StringBuilder();
        for (char c : section.substring(1).toCharArray()) b.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        return b.toString();
    }

    private static BtfType.Datasec fixup(ElfFile elf, ElfSection s, Btf b, BtfType.Datasec d)
            throws BtfFormatException {
        List<BtfType.SectionVar> vars = new ArrayList<>();
        for (BtfType.SectionVar sv : d.vars()) {
            String name = b.type(sv.type()).name();
            long offset = sv.offset();
            for (ElfSymbol sym : elf.symbols()) {
                if (sym.sectionIndex() == s.index() && sym.name().equals(name) && sym.kind() == ElfSymbol.STT_OBJECT) {
                    offset = sym.value();
                    break;
                }
            }
            long size = b.isSized(sv.type()) ? b.sizeOf(sv.type()) : sv.size();
            if (offset < 0 || offset > s.size() || size > s.size() - offset) {
                throw new BtfFormatException(
                        -1,
                        "variable '" + name + "' [" + offset + ", +" + size + ") lies outside section " + s.name()
                                + " of " + s.size() + " bytes");
            }
            vars.add(new BtfType.SectionVar(sv.type(), offset, size));
        }
        vars.sort(Comparator.comparingLong(BtfType.SectionVar::offset));
        return new BtfType.Datasec(d.name(), s.size(), List.copyOf(vars));
    }

    public ElfFile elf() {
        return elf;
    }

    public Optional<Btf> btf() {
        return btf;
    }

    public Optional<BtfExt> btfExt() {
        return btfExt;
    }

    /** User maps in definition order, then internal maps in section order (as libbpf creates them). */
    public List<BpfMap> maps() {
        return maps;
    }

    public List<BpfProgram> programs() {
        return programs;
    }

    public List<DataSection> dataSections() {
        return dataSections;
    }

    public String license() {
        return license;
    }
}
