package dev.wasmbpf.bpf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@link SectionTable} for the guest SDKs, which decide in the guest which programs
 * {@code X__attach()} attaches without a target: {@code sdk/c/wasm-bpf-sections.h} and
 * {@code sdk/rust/src/sections.rs}. Both are committed; {@code SectionHeadersTest} fails when they differ from
 * what this class generates now. Regenerate from the repository's root, after building {@code bpf}:
 * {@code java -cp bpf/target/classes dev.wasmbpf.bpf.SectionHeaders .}
 */
public final class SectionHeaders {
    public static final Path C_HEADER = Path.of("sdk", "c", "wasm-bpf-sections.h");
    public static final Path RUST_MODULE = Path.of("sdk", "rust", "src", "sections.rs");
    public static final String REGENERATE = "java -cp bpf/target/classes dev.wasmbpf.bpf.SectionHeaders .";

    private SectionHeaders() {}

    /** The generated files, by their path relative to the repository's root. */
    public static Map<Path, String> files() {
        return Map.of(C_HEADER, cHeader(), RUST_MODULE, rustModule());
    }

    static String cHeader() {
        StringBuilder out = new StringBuilder();
        out.append("/* SPDX-License-Identifier: Apache-2.0 */\n")
                .append(
                        "/*\n * Generated from dev.wasmbpf.bpf.SectionTable: do not edit. Regenerate from the repository's root:\n")
                .append(" *   ")
                .append(REGENERATE)
                .append("\n *\n")
                .append(" * libbpf's section names, first matching row wins; auto_attach is whether libbpf attaches\n")
                .append(
                        " * such a program without being told where (libbpf.c: section_defs entries with an attach_fn).\n */\n")
                .append("#ifndef WASM_BPF_SECTIONS_H\n#define WASM_BPF_SECTIONS_H\n\n")
                .append("enum libbpf_wasm_sec_match {\n\tLIBBPF_WASM_SEC_PREFIX,\n\tLIBBPF_WASM_SEC_EXACT,\n")
                .append("\tLIBBPF_WASM_SEC_EXACT_OR_SLASH,\n};\n\n")
                .append("struct libbpf_wasm_sec_def {\n\tconst char *pattern;\n\tenum libbpf_wasm_sec_match match;\n")
                .append("\tint auto_attach;\n};\n\n")
                .append("static const struct libbpf_wasm_sec_def libbpf_wasm_sec_defs[] = {\n");
        for (SectionTable.Section row : SectionTable.SECTIONS) {
            out.append("\t{ \"")
                    .append(row.pattern())
                    .append("\", LIBBPF_WASM_SEC_")
                    .append(row.match().name())
                    .append(", ")
                    .append(row.autoAttach() ? 1 : 0)
                    .append(" },\n");
        }
        return out.append("};\n\n#endif /* WASM_BPF_SECTIONS_H */\n").toString();
    }

    static String rustModule() {
        StringBuilder out = new StringBuilder();
        out.append(
                        "// Generated from dev.wasmbpf.bpf.SectionTable: do not edit. Regenerate from the repository's root:\n")
                .append("//   ")
                .append(REGENERATE)
                .append("\n//\n")
                .append(
                        "// libbpf's section names, first matching row wins; the flag is whether libbpf attaches such a\n")
                .append("// program without being told where (libbpf.c: section_defs entries with an attach_fn).\n\n")
                .append(
                        "#[derive(Clone, Copy)]\npub(crate) enum Match {\n    Prefix,\n    Exact,\n    ExactOrSlash,\n}\n\n")
                .append("pub(crate) const SECTIONS: &[(&str, Match, bool)] = &[\n");
        for (SectionTable.Section row : SectionTable.SECTIONS) {
            out.append("    (\"")
                    .append(row.pattern())
                    .append("\", Match::")
                    .append(rustName(row.match()))
                    .append(", ")
                    .append(row.autoAttach())
                    .append("),\n");
        }
        return out.append("];\n").toString();
    }

    private static String rustName(SectionTable.Match match) {
        StringBuilder name = new StringBuilder();
        for (String word : match.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** Writes the generated files under the repository root given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SectionHeaders REPOSITORY_ROOT");
            System.exit(2);
        }
        for (var file : files().entrySet()) {
            Path target = Path.of(args[0]).resolve(file.getKey());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + target);
        }
    }
}
