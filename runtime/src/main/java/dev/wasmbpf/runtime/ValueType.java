package dev.wasmbpf.runtime;

import com.dylibso.chicory.wasm.types.ValType;

/** The Wasm number types a host function may take and return. */
public enum ValueType {
    I32(ValType.I32), I64(ValType.I64), F32(ValType.F32), F64(ValType.F64);

    private final ValType wasm;

    ValueType(ValType wasm) {
        this.wasm = wasm;
    }

    ValType wasm() {
        return wasm;
    }
}
