package dev.wasmbpf.cli;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills the processes a test started and left running: a test that fails between starting a tracing CLI and
 * stopping it must not leave the module (and its BPF programs) running after the test JVM exits. Processes
 * that were already there when the test began (a registry started for the whole class) are left alone.
 */
final class KillLeftoverProcesses implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KillLeftoverProcesses.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", descendants());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        Set<Long> before = (Set<Long>) context.getStore(NAMESPACE).get("before");
        for (ProcessHandle process : ProcessHandle.current().descendants().toList()) {
            if (!before.contains(process.pid()) && process.isAlive()) {
                process.destroyForcibly();
                process.onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
