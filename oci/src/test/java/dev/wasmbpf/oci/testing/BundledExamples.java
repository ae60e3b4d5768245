package dev.wasmbpf.oci.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example modules bundled by the examples module, as bytes or copied to a file. */
public final class BundledExamples {
    private BundledExamples() {}

    public static byte[] bytes(String name) throws IOException {
        try (InputStream in =
                BundledExamples.class.getClassLoader().getResourceAsStream("dev/wasmbpf/examples/" + name + ".wasm")) {
            assertNotNull(in, "bundled example " + name + " not built (examples module)");
            return in.readAllBytes();
        }
    }

    /** A valid module with different bytes (and digest): the original plus a custom section. */
    public static byte[] withCustomSection(byte[] wasm, String name) {
        byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(wasm);
        out.write(0); // custom section id
        out.write(1 + nameBytes.length); // section size, < 128 so one LEB128 byte
        out.write(nameBytes.length);
        out.writeBytes(nameBytes);
        return out.toByteArray();
    }

    public static Path file(String name, Path dir) throws IOException {
        return Files.write(dir.resolve(name + ".wasm"), bytes(name));
    }
}
