package dev.wasmbpf.runtime.reliability;

import com.dylibso.chicory.runtime.Memory;
import dev.wasmbpf.bpf.HeldKernelObjects;
import java.util.List;
import java.util.Random;

/**
 * Child-process side of {@link MalformedInputTest}'s BPF object mutants: libbpf 1.1 dereferences corrupt
 * BTF and dies with SIGSEGV, which no Java code can catch, so each batch runs here, in its own JVM. Prints
 * {@code TRY i} before and {@code RESULT i handle} after each load through the ABI's load path; a
 * {@code TRY} without its {@code RESULT} is the mutant that crashed the process. {@code CLOSE_FAILED i status}
 * reports a close that did not return 0; {@code HELD ...} last, what the process still holds after its release.
 *
 * <p>Arguments: seed, first mutant, last mutant (exclusive).
 */
public final class ElfMutantLoader {
    private ElfMutantLoader() {}

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int first = Integer.parseInt(args[1]);
        int end = Integer.parseInt(args[2]);
        try (HostAbiFuzzTest.Target target = new HostAbiFuzzTest.Target()) {
            Mutator mutator = new Mutator(new Random(seed), List.of());
            Memory memory = target.instance.memory();
            int at = 8192;
            for (int i = 0; i < end; i++) {
                byte[] mutant = mutator.mutateElf(target.objectBytes);
                if (i < first) {
                    continue;
                }
                System.out.println("TRY " + i);
                System.out.flush();
                memory.write(at, mutant, 0, mutant.length);
                long handle = target.call(new FuzzCall(FuzzOp.LOAD, new long[] {at, mutant.length}, List.of(), false));
                if (handle > 0) {
                    long closed = target.call(new FuzzCall(FuzzOp.CLOSE, new long[] {handle}, List.of(), false));
                    if (closed != 0) {
                        System.out.println("CLOSE_FAILED " + i + " " + closed);
                    }
                }
                System.out.println("RESULT " + i + " " + handle);
                System.out.flush();
            }
            System.out.println("INTERNAL_ERRORS " + target.diagnostics.kept().size());
        }
        // Counted here, while this JVM lives: once it exits, the kernel closes its fds and would hide a leak.
        System.out.println("HELD " + HeldKernelObjects.ofThisProcess());
    }

    /** The mutant a child crashed on, regenerated for the record. */
    static byte[] mutant(long seed, int index, byte[] object) {
        Mutator mutator = new Mutator(new Random(seed), List.of());
        byte[] mutant = null;
        for (int i = 0; i <= index; i++) {
            mutant = mutator.mutateElf(object);
        }
        return mutant;
    }
}
