package dev.wasmbpf.runtime;

/** A module that can't be read, isn't valid WebAssembly, or can't be linked against the host. */
public class ModuleLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModuleLoadException(String message) {
        super(message);
    }

    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
