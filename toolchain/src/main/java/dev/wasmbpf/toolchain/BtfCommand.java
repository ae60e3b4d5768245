package dev.wasmbpf.toolchain;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.elf.ElfFile;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.CHeaderEmitter;
import dev.wasmbpf.btf.emit.RustEmitter;
import dev.wasmbpf.btf.emit.WasmHeaderEmitter;
import dev.wasmbpf.btf.emit.WitEmitter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code btf dump file <obj|vmlinux> format <c|wit|rust> [--wasm|-j] [--type NAME] [-o FILE]}: the
 * BTF of a BPF object or a raw BTF file (such as /sys/kernel/btf/vmlinux) as a C header in the
 * BPF target's layout, as a Wasm32 header with the same layout, as
 * Rust for wasm32 guests with the same layout, or as a WIT interface.
 */
@Command(
        name = "btf",
        mixinStandardHelpOptions = true,
        description = "Inspect BTF type information.",
        subcommands = BtfCommand.Dump.class)
public final class BtfCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing subcommand: dump");
    }

    @Command(
            name = "dump",
            mixinStandardHelpOptions = true,
            description = "Dump types: btf dump file <path> format <c|wit|rust> [--wasm] [--type NAME]")
    static final class Dump implements Callable<Integer> {
        @Parameters(arity = "2..4", paramLabel = "WORDS", description = "file <path> [format <c|wit|rust>]")
        List<String> words;

        @Option(
                names = {"-j", "--wasm"},
                description = "C for wasm32 guests: BTF layout, pointers as uint64_t, packed.")
        boolean wasm;

        @Option(names = "--type", paramLabel = "NAME", description = "Only this type and what it needs.")
        String typeName;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "Write here instead of stdout.")
        Path output;

        @Override
        public Integer call() throws ToolchainException, IOException {
            if (!words.get(0).equals("file"))
                throw new ToolchainException("expected 'file <path>', found '" + words.get(0) + "'");
            Path input = Path.of(words.get(1));
            String format = "c";
            if (words.size() > 2) {
                if (!words.get(2).equals("format") || words.size() != 4) {
                    throw new ToolchainException("expected 'format <c|wit|rust>' after the file, found '"
                            + String.join(" ", words.subList(2, words.size())) + "'");
                }
                format = words.get(3);
            }
            Btf btf = load(input);
            String guard = guard(input, wasm);
            String text = switch (format) {
                case "c" ->
                    wasm
                            ? (typeName == null
                                    ? new WasmHeaderEmitter(btf).emitAll(guard)
                                    : new WasmHeaderEmitter(btf).emitType(guard, typeName))
                            : (typeName == null
                                    ? new CHeaderEmitter(btf).emitAll(guard)
                                    : new CHeaderEmitter(btf).emitType(guard, typeName));
                case "wit" -> new WitEmitter(btf).emit(packageName(input), typeName);
                case "rust" ->
                    typeName == null
                            ? new RustEmitter(btf).emitAll(input.getFileName().toString())
                            : new RustEmitter(btf).emitType(input.getFileName().toString(), typeName);
                default -> throw new ToolchainException("unknown format '" + format + "': expected c, wit or rust");
            };
            Output.write(output, text);
            return 0;
        }
    }

    /** BTF from a BPF ELF object's .BTF section, or a raw BTF file. */
    static Btf load(Path input) throws ToolchainException, IOException {
        byte[] bytes = ObjectFile.readBounded(input);
        if (ElfFile.looksLikeElf(bytes)) {
            return ObjectFile.parse(bytes)
                    .btf()
                    .orElseThrow(() ->
                            new ToolchainException(input + ": the object has no .BTF section (compile with clang -g)"));
        }
        return Btf.parse(bytes);
    }

    static String guard(Path input, boolean wasm) {
        String base = stem(input).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        return "__" + base + (wasm ? "_WASM" : "") + "_H__";
    }

    static String packageName(Path input) {
        String s = stem(input)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) s = "btf-" + s;
        return s;
    }

    /** "bootstrap.bpf.o" -> "bootstrap", "vmlinux" -> "vmlinux". */
    static String stem(Path input) {
        String name = input.getFileName().toString();
        for (String suffix : List.of(".o", ".bpf", ".btf")) {
            if (name.endsWith(suffix) && name.length() > suffix.length())
                name = name.substring(0, name.length() - suffix.length());
        }
        return name;
    }
}
