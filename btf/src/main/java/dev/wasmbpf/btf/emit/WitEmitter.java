package dev.wasmbpf.btf.emit;

import dev.wasmbpf.btf.Btf;

/** Placeholder replaced below. */
public final class WitEmitter {
    private final Btf btf;

    public WitEmitter(Btf btf) {
        this.btf = btf;
    }

    public String emit(String packageName, String typeName) throws EmitException {
        throw new EmitException("format wit is not implemented yet");
    }
}
