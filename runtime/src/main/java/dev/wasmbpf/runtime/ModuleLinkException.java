package dev.wasmbpf.runtime;

/** The module imports something the host does not provide (named with its module, name and type). */
public final class ModuleLinkException extends ModuleLoadException {
    private static final long serialVersionUID = 1L;

    /**
     * A link failure.
     *
     * @param message what is missing or mistyped
     */
    public ModuleLinkException(String message) {
        super(message);
    }
}
