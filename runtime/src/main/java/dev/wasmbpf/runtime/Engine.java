package dev.wasmbpf.runtime;

/** How guest code executes. */
public enum Engine {
    /** Chicory's compiler: Wasm to JVM bytecode, interpreting only functions it can't compile. */
    COMPILER,
    /** Chicory's interpreter: no compile step, much slower code. */
    INTERPRETER
}
