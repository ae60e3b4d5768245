package dev.wasmbpf.cli;

import dev.wasmbpf.runtime.CompiledModuleCache;
import dev.wasmbpf.runtime.ModuleLoadException;
import dev.wasmbpf.runtime.WasmBpfModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the module a user named: a file, or else a bundled example such as {@code bootstrap}. */
final class ModuleSource {
    static final String EXAMPLES = "dev/wasmbpf/examples/";

    private ModuleSource() {}

    static WasmBpfModule resolve(String given) throws ModuleLoadException {
        return resolve(given, null);
    }

    /** As {@link #resolve(String)}; {@code knownModules} (nullable): the compile cache the run will use. */
    static WasmBpfModule resolve(String given, CompiledModuleCache knownModules) throws ModuleLoadException {
        Path path = Path.of(given);
        if (Files.exists(path) || given.endsWith(".wasm") || given.contains("/")) {
            return WasmBpfModule.fromPath(path, knownModules);
        }
        byte[] bundled = bundledExample(given);
        if (bundled == null) {
            throw new ModuleLoadException("no module file " + given + " and no bundled example of that name");
        }
        return WasmBpfModule.fromBytes(given, bundled, knownModules);
    }

    private static byte[] bundledExample(String name) throws ModuleLoadException {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            return null;
        }
        try (InputStream in = ModuleSource.class.getClassLoader().getResourceAsStream(EXAMPLES + name + ".wasm")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new ModuleLoadException("cannot read bundled example " + name + ": " + e.getMessage(), e);
        }
    }
}
