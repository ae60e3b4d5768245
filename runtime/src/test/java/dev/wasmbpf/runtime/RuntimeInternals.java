package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.HostFunction;
import java.util.List;

/** Test access to what the runtime wraps around the host functions it offers, for the reliability fuzzers. */
public final class RuntimeInternals {
    private RuntimeInternals() {}

    /** WASI functions as GuestRun offers them to guests: behind the bounds checks. */
    public static List<HostFunction> guardedWasi(List<HostFunction> wasi) {
        return GuestRun.WasiBounds.guard(wasi);
    }
}
