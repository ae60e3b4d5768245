package dev.wasmbpf.runtime;

import com.dylibso.chicory.wasm.types.ValType;

/** The Wasm number types a host function may take and return. */
public enum ValueType {
    /** A 32-bit integer (also a guest pointer on wasm32). */
    I32(ValType.I32),
    /** A 64-bit integer. */
    I64(ValType.I64),
    /** A 32-bit float, passed as its bits. */
    F32(ValType.F32),
    /** A 64-bit float, passed as its bits. */
    F64(ValType.F64);

    private final ValType wasm;

    ValueType(ValType wasm) {
        this.wasm = wasm;
    }

    ValType wasm() {
        return wasm;
    }
}
