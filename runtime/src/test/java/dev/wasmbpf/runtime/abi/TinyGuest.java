package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import dev.wasmbpf.runtime.internal.ExecutionControl;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * A hand-assembled guest for the micro-benchmarks: one page of exported memory and function 0,
 * {@code (ctx, data, size) -> size}, the shape of a buffer-poll callback. Compiled to JVM bytecode as
 * the CLI runs guests.
 */
final class TinyGuest {
    static final int CALLBACK = 0;

    private static final byte[] MODULE = {
        0x00,
        0x61,
        0x73,
        0x6d,
        0x01,
        0x00,
        0x00,
        0x00,
        // type section: (i32 i32 i32) -> i32
        0x01,
        0x08,
        0x01,
        0x60,
        0x03,
        0x7f,
        0x7f,
        0x7f,
        0x01,
        0x7f,
        // function section: function 0 has type 0
        0x03,
        0x02,
        0x01,
        0x00,
        // memory section: one memory, min 1 page
        0x05,
        0x03,
        0x01,
        0x00,
        0x01,
        // export section: "memory"
        0x07,
        0x0a,
        0x01,
        0x06,
        'm',
        'e',
        'm',
        'o',
        'r',
        'y',
        0x02,
        0x00,
        // code section: local.get 2, end
        0x0a,
        0x06,
        0x01,
        0x04,
        0x00,
        0x20,
        0x02,
        0x0b,
    };

    private TinyGuest() {}

    static Instance instance() {
        return Instance.builder(Parser.parse(MODULE))
                .withMachineFactory(MachineFactoryCompiler::compile)
                .build();
    }

    /** An ABI context bound to a fresh instance, as a running module has one. */
    static AbiContext context() {
        AbiContext context = new AbiContext(
                new ExecutionControl(),
                new PrintStream(OutputStream.nullOutputStream()),
                new AttachPolicy(List.of(), List.of()),
                "go-callback");
        context.bind(instance());
        return context;
    }
}
