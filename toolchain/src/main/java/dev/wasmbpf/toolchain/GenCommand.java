package dev.wasmbpf.toolchain;

import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.skeleton.RustSkeletonGenerator;
import dev.wasmbpf.btf.skeleton.SkeletonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gen skeleton <X.bpf.o> [--name N] [--lang c|rust] [--type NAME]... [-o FILE]}: a skeleton
 * header for wasm32 guests built on libbpf-wasm.h, in the shape of {@code bpftool gen skeleton},
 * or (--lang rust) a Rust module for guests built on the Rust SDK (sdk/rust).
 */
@Command(
        name = "gen",
        mixinStandardHelpOptions = true,
        description = "Generate code from BPF objects.",
        subcommands = GenCommand.Skeleton.class)
public final class GenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing subcommand: skeleton");
    }

    @Command(
            name = "skeleton",
            mixinStandardHelpOptions = true,
            description = "Skeleton header (struct X_bpf, X_bpf__open_and_load() ...) with the object embedded.")
    static final class Skeleton implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OBJECT", description = "The BPF object, e.g. bootstrap.bpf.o")
        Path object;

        @Option(
                names = "--name",
                paramLabel = "N",
                description = "Skeleton name (default: from the file, 'x.bpf.o' -> x_bpf).")
        String name;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "Write here instead of stdout.")
        Path output;

        @Option(
                names = "--lang",
                paramLabel = "LANG",
                defaultValue = "c",
                description = "c (a header for libbpf-wasm.h, default) or rust (a module for the Rust SDK).")
        String lang;

        @Option(
                names = "--type",
                paramLabel = "NAME",
                description = "rust: also emit this BTF type (repeatable), e.g. a ring buffer's record.")
        List<String> types = List.of();

        @Override
        public Integer call() throws ToolchainException, IOException {
            ObjectFile obj = ObjectFile.read(object);
            if (lang.equals("rust")) {
                Output.write(
                        output,
                        new RustSkeletonGenerator(obj, types)
                                .generate(object.getFileName().toString()));
                return 0;
            }
            if (!lang.equals("c")) throw new ToolchainException("unknown language '" + lang + "': expected c or rust");
            if (!types.isEmpty())
                throw new ToolchainException("--type is for --lang rust (the C skeleton uses the BTF header)");
            String skeletonName = name != null
                    ? name
                    : SkeletonGenerator.defaultName(object.getFileName().toString());
            Output.write(output, new SkeletonGenerator(obj, skeletonName).generate());
            return 0;
        }
    }
}
