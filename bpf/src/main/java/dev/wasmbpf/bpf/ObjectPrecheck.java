package dev.wasmbpf.bpf;

import dev.wasmbpf.btf.ToolchainException;
import dev.wasmbpf.btf.elf.ObjectFile;
import java.util.Optional;

/**
 * Reads a BPF object with our own ELF/BTF reader before libbpf sees it; {@link BpfObject#open} runs it, so
 * every way into libbpf (the runtime, the bench, an embedder) has it. libbpf 1.1 (Debian 12) keeps
 * using a {@code .BTF} section the kernel has refused and can crash the whole process on it (a three-byte
 * corruption of a type name is enough); our reader checks every offset, count and name and answers with
 * an exception instead, so a hostile or damaged object ends as a refused load.
 */
final class ObjectPrecheck {
    private ObjectPrecheck() {}

    /** Why the object must not reach libbpf, or empty when it reads cleanly. */
    static Optional<String> problem(byte[] elf) {
        try {
            ObjectFile.parse(elf);
            return Optional.empty();
        } catch (ToolchainException e) {
            return Optional.of(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // The reader is fuzzed not to throw these; should one slip through, the object is still refused.
            return Optional.of("unreadable object (" + e + ")");
        }
    }
}
