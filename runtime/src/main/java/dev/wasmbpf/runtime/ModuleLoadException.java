package dev.wasmbpf.runtime;

/** A module that can't be read, isn't valid WebAssembly, or can't be linked against the host. */
public class ModuleLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A load failure.
     *
     * @param message what is wrong, naming the module
     */
    public ModuleLoadException(String message) {
        super(message);
    }

    /**
     * A load failure with its cause.
     *
     * @param message what is wrong, naming the module
     * @param cause the underlying failure
     */
    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
