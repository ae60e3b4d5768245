package dev.wasmbpf.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The baseline must run the very bytes the wasm guest embeds (its skeleton holds the object verbatim). */
final class BpfObjectIdentity {
    private BpfObjectIdentity() {}

    static void verify(Path bpfObject, Path wasm) throws IOException {
        byte[] object = Files.readAllBytes(bpfObject);
        byte[] module = Files.readAllBytes(wasm);
        if (indexOf(module, object) < 0) {
            throw new IllegalStateException(bpfObject + " is not embedded byte for byte in " + wasm
                    + ": rebuild the examples and bench (make -C bench)");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (haystack[i] == needle[0] && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
