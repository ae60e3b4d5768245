package dev.wasmbpf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbpf.btf.Btf;
import dev.wasmbpf.btf.elf.ObjectFile;
import dev.wasmbpf.btf.emit.RustEmitter;
import dev.wasmbpf.btf.emit.WitEmitter;
import dev.wasmbpf.btf.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The WIT our emitter writes for every example object has a real consumer: the Bytecode
 * Alliance's wit-parser (in @bytecodealliance/jco-transpile, installed by the pom's npm ci) parses
 * it, and the records and variants it finds name the same C structs and unions, with the same
 * sizes, as the Rust output for the same object; a struct's record fields are the Rust struct's
 * members (padding aside, bitfields by their accessors).
 */
class ExampleWitConsumerTest {
    private static final Path WIT_CHECK = Path.of("wit-check");
    private static final Pattern RUST_TYPE = Pattern.compile(
            "/// C (struct|union) (\\S+), (\\d+) bytes\\.\n#\\[repr\\(C, packed\\)\\]\n#\\[derive\\([^)]*\\)\\]\npub (?:struct|union) \\w+ \\{\n((?:    [^\n]*\n)*)\\}\n");

    /** One struct or union as a consumer sees it: C name, size, member names (normalised). */
    record Shape(String kind, String name, long size, List<String> members) {}

    @Test
    void witOfEveryExampleObjectParsesAndNamesTheTypesAndSizesOfTheRustOutput() throws Exception {
        TestEnvironment.require(
                Files.isDirectory(WIT_CHECK.resolve("node_modules/@bytecodealliance/jco-transpile")),
                "npm package @bytecodealliance/jco-transpile in examples/wit-check (the pom's npm ci)");
        List<Path> objects = ExampleObjects.built();
        Path dir = Files.createDirectories(Path.of("target", "wit-check"));
        Map<String, List<Shape>> rust = new HashMap<>();
        List<String> command = new ArrayList<>(List.of(
                "node", WIT_CHECK.resolve("wit-types.mjs").toAbsolutePath().toString()));
        for (Path object : objects) {
            String name = object.getParent().getFileName() + "_"
                    + object.getFileName().toString().replace(".bpf.o", "");
            Btf btf = ObjectFile.read(object).btf().orElseThrow();
            Path wit = dir.resolve(name + ".wit").toAbsolutePath();
            Files.writeString(wit, new WitEmitter(btf).emit(name, null));
            rust.put(wit.toString(), rustShapes(new RustEmitter(btf).emitAll(name)));
            command.add(wit.toString());
        }
        // Exits non-zero (failing the test with the parser's message) when any file does not parse.
        String listing = TestEnvironment.run(dir, command);

        Map<String, List<Shape>> wit = new HashMap<>();
        for (String line : listing.lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f[2].equals("(anonymous)")) continue; // named after their place, differently in each format
            List<String> members = f[5].isEmpty() ? List.of() : List.of(f[5].split(","));
            wit.computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(new Shape(
                            f[1],
                            f[2],
                            Long.parseLong(f[3]),
                            members.stream().map(ExampleWitConsumerTest::normal).toList()));
        }
        int compared = 0;
        for (var e : rust.entrySet()) {
            List<Shape> fromRust = e.getValue();
            List<Shape> fromWit = wit.getOrDefault(e.getKey(), List.of());
            assertEquals(names(fromRust), names(fromWit), "struct/union names and sizes, " + e.getKey());
            Map<String, Shape> byName = new HashMap<>();
            for (Shape s : fromWit) byName.put(s.kind() + " " + s.name(), s);
            for (Shape r : fromRust) {
                Shape w = byName.get(r.kind() + " " + r.name());
                if (r.kind().equals("union") || r.members().contains("(unnamed)")) continue; // variants: cases only
                assertEquals(r.members(), w.members(), "members of " + r.kind() + " " + r.name() + " in " + e.getKey());
                compared++;
            }
        }
        assertTrue(compared >= 50, "structs compared member by member: " + compared);
    }

    private static List<String> names(List<Shape> shapes) {
        return shapes.stream()
                .map(s -> s.kind() + " " + s.name() + " " + s.size())
                .sorted()
                .toList();
    }

    /** Named structs and unions of the Rust output, members as C names them. */
    static List<Shape> rustShapes(String rs) {
        List<Shape> shapes = new ArrayList<>();
        Matcher m = RUST_TYPE.matcher(rs);
        while (m.find()) {
            if (m.group(2).equals("(anonymous)")) continue;
            List<String> members = new ArrayList<>();
            for (String line : m.group(4).lines().toList()) {
                String t = line.trim();
                if (t.startsWith("/// bitfields ")) {
                    for (String b : t.substring("/// bitfields ".length(), t.indexOf(": use the accessor"))
                            .split(", ")) {
                        members.add(b.equals("(unnamed)") ? b : normal(b));
                    }
                } else if (t.startsWith("pub ") && !t.matches("pub __(pad|bf)\\d+: .*")) {
                    members.add(normal(t.substring(4, t.indexOf(':'))));
                }
            }
            shapes.add(new Shape(m.group(1), m.group(2), Long.parseLong(m.group(3)), members));
        }
        return shapes;
    }

    /** Rust's snake_case / r#keyword and WIT's camelCase of one C name compare equal. */
    static String normal(String name) {
        return name.replace("r#", "").replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
