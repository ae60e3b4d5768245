package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AOT training's client commands really run: {@code run -d} and {@code ps} both succeed against the stand-in
 * daemon (a broken request, answer or parse makes one exit non-zero: seen, 1 for an answer without its id), and
 * standard output is given back.
 */
class AotTrainingTest {
    @Test
    void runDetachedAndPsSucceedAgainstTheStandInDaemon() throws Exception {
        PrintStream out = System.out;
        assertEquals(List.of(0, 0), AotTraining.clientCommands());
        assertSame(out, System.out);
    }
}
