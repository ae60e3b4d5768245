package dev.wasmbpf.bpf.internal;

import dev.wasmbpf.bpf.LibbpfUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Finds {@code libbpf.so.1} once. Looking the library up never throws from a static initializer,
 * so a missing library surfaces as {@link LibbpfUnavailableException} on every use rather than
 * as an unexplained {@code NoClassDefFoundError} on the second one.
 */
public final class LibbpfLibrary {
    public static final String SONAME = "libbpf.so.1";
    public static final String MISSING_MESSAGE =
            "libbpf.so.1 not found: install the Debian package libbpf1 (apt-get install libbpf1)";

    static final Linker LINKER = Linker.nativeLinker();
    private static final Optional<SymbolLookup> LOOKUP = find();
    private static final String LOOKUP_FAILURE = LOOKUP.isPresent() ? null : describeFailure();

    private LibbpfLibrary() {}

    public static boolean isAvailable() {
        return LOOKUP.isPresent();
    }

    /** Throws {@link LibbpfUnavailableException} unless libbpf was found. */
    public static void require() {
        if (LOOKUP.isEmpty()) {
            throw new LibbpfUnavailableException(MISSING_MESSAGE + LOOKUP_FAILURE);
        }
    }

    static MethodHandle libbpf(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        require();
        MemorySegment address = LOOKUP.get()
                .find(name)
                .orElseThrow(() -> new LibbpfUnavailableException(
                        SONAME + " has no symbol " + name + ": libbpf 1.1 or newer is required"));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new LinkageError("libc has no symbol " + name));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    private static Optional<SymbolLookup> find() {
        try {
            return Optional.of(SymbolLookup.libraryLookup(SONAME, Arena.global()));
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return Optional.empty();
        }
    }

    private static String describeFailure() {
        try {
            SymbolLookup.libraryLookup(SONAME, Arena.global());
            return "";
        } catch (IllegalCallerException e) {
            return " (native access is disabled: run java with --enable-native-access=ALL-UNNAMED)";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
