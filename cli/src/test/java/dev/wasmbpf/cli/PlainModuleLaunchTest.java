package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlainModuleLaunchTest {
    @Test
    void theFullCommandLineHasEverySubcommandOfTheTableAndASubcommandsLineOnlyItsOwn() {
        assertEquals(
                List.copyOf(Main.SUBCOMMANDS.keySet()),
                List.copyOf(Main.commandLine().getSubcommands().keySet()));
        assertEquals(
                List.of("ps"),
                List.copyOf(Main.commandLineFor(new String[] {"ps", "-a"})
                        .getSubcommands()
                        .keySet()));
        assertEquals(
                Main.SUBCOMMANDS.keySet(),
                Main.commandLineFor(new String[] {"--help"}).getSubcommands().keySet());
    }

    @Test
    void takesOnlyAModuleWithoutOptionsOfOurs() {
        assertTrue(PlainModuleLaunch.appliesTo(new String[] {"bootstrap"}));
        assertTrue(PlainModuleLaunch.appliesTo(new String[] {"x.wasm", "-h", "--env", "A=1"}));
        assertFalse(PlainModuleLaunch.appliesTo(new String[] {}));
        assertFalse(PlainModuleLaunch.appliesTo(new String[] {"--env", "A=1", "x.wasm"}));
        assertFalse(PlainModuleLaunch.appliesTo(new String[] {"-v", "x.wasm"}));
        assertFalse(PlainModuleLaunch.appliesTo(new String[] {"@args.txt"}));
        assertFalse(PlainModuleLaunch.appliesTo(new String[] {"run", "x.wasm"}));
        assertFalse(PlainModuleLaunch.appliesTo(new String[] {"btf", "dump"}));
    }
}
