package dev.wasmbpf.runtime;

import dev.wasmbpf.bpf.LibbpfLogLevel;
import java.time.Duration;
import java.util.List;

/**
 * Something that happened to a running module, as its {@link RunEventListener} sees it: a step of its
 * {@link Lifecycle} (object loaded, program attached, ready, ended), a {@link Diagnostic} from the host
 * (a trap, a time-out, a refused attach …), which the default listener prints as one line on the guest's
 * stderr, or a {@link LibbpfLogLine}. Every event names the module it is about ({@link WasmBpfModule#name()}), so one listener can serve
 * many modules.
 */
public sealed interface RunEvent permits RunEvent.Lifecycle, RunEvent.Diagnostic, RunEvent.LibbpfLogLine {
    /**
     * The name of the module the event is about.
     *
     * @return {@link WasmBpfModule#name()} of the module
     */
    String module();

    /**
     * The event as one line of text, without the leading {@code "wasm-bpf: "}: what
     * {@link RunEventListener#diagnostics} prints for a diagnostic, and {@link RunEventListener#lifecycle} for a
     * lifecycle event.
     *
     * @return the line
     */
    String describe();

    /** A step every run passes through in order: objects loaded and programs attached, ready, ended. */
    sealed interface Lifecycle extends RunEvent permits ObjectLoaded, ProgramAttached, Ready, Ended {}

    /**
     * A host message about the run: something failed or was refused. Before these events existed the host
     * wrote them into the guest's stderr; {@link RunEventListener#diagnostics} still does.
     */
    sealed interface Diagnostic extends RunEvent
            permits Trapped,
                    TimedOut,
                    Abandoned,
                    MemoryGrowRefused,
                    ObjectLoadFailed,
                    AttachFailed,
                    AttachRefused,
                    BadAttachTarget,
                    PollFailed,
                    CallbackMissing,
                    HostCallFailed,
                    ReleaseFailed {}

    /**
     * A WARN or INFO line libbpf printed while serving this module (on its guest thread). libbpf's own sink
     * ({@link dev.wasmbpf.bpf.Libbpf#setLogSink}) still prints or drops it as before, so the default listener
     * does not print it again. A failed load's lines are also in its {@link ObjectLoadFailed} message.
     *
     * @param module the module's name
     * @param level the line's level
     * @param message the line, without libbpf's {@code "libbpf: "} prefix and trailing newline
     */
    record LibbpfLogLine(String module, LibbpfLogLevel level, String message) implements RunEvent {
        @Override
        public String describe() {
            return module + ": libbpf: " + message;
        }
    }

    /**
     * The guest loaded a BPF object ({@code wasm_load_bpf_object} succeeded).
     *
     * @param module the module's name
     * @param handle the handle the guest got for it
     * @param programs the object's program (function) names
     * @param maps the object's map names
     * @param openAndLoad how long libbpf's {@code bpf_object__open_mem} and {@code bpf_object__load} took (ELF
     *     parsing, map creation, relocation, the verifier): the part of a start a native libbpf consumer of the
     *     same object pays too
     */
    record ObjectLoaded(String module, long handle, List<String> programs, List<String> maps, Duration openAndLoad)
            implements Lifecycle {
        /** Copies the lists. */
        public ObjectLoaded {
            programs = List.copyOf(programs);
            maps = List.copyOf(maps);
            java.util.Objects.requireNonNull(openAndLoad, "openAndLoad");
        }

        /**
         * An object loaded in an unknown time ({@link #openAndLoad()} zero).
         *
         * @param module the module's name
         * @param handle the handle the guest got for it
         * @param programs the object's program (function) names
         * @param maps the object's map names
         */
        public ObjectLoaded(String module, long handle, List<String> programs, List<String> maps) {
            this(module, handle, programs, maps, Duration.ZERO);
        }

        @Override
        public String describe() {
            return module + ": loaded BPF object " + handle + " (programs " + String.join(", ", programs) + "; maps "
                    + String.join(", ", maps) + ")";
        }
    }

    /**
     * The guest attached a program ({@code wasm_attach_bpf_program} succeeded).
     *
     * @param module the module's name
     * @param program the program's function name
     * @param section its ELF section, which decides the attach kind (e.g. {@code tp/sched/sched_process_exec})
     * @param target what the guest named as target (an interface, a cgroup, {@code path:function}); empty
     *     when the program was attached by its section alone
     */
    record ProgramAttached(String module, String program, String section, String target) implements Lifecycle {
        @Override
        public String describe() {
            return module + ": attached " + program + " (" + section + ")" + (target.isEmpty() ? "" : " to " + target);
        }
    }

    /**
     * The guest reached its event loop: what it attached is live, so activity from now on is seen. This is the
     * readiness {@link RunningModule#awaitReady} waits for, sent at most once per run.
     *
     * @param module the module's name
     * @param via what showed that the guest is in its event loop
     */
    record Ready(String module, Via via) implements Lifecycle {
        /** How readiness was recognised. */
        public enum Via {
            /** The guest's first {@code wasm_bpf_buffer_poll}: it waits for events from a ring or perf buffer. */
            BUFFER_POLL,
            /**
             * A guest that never polled a buffer slept (WASI {@code poll_oneoff}) after attaching at least one
             * program: the pattern of guests that read maps periodically.
             */
            SLEEP_AFTER_ATTACH
        }

        @Override
        public String describe() {
            return module + ": ready (" + (via == Via.BUFFER_POLL ? "first buffer poll" : "first sleep after attaching")
                    + ")";
        }
    }

    /**
     * The run ended and every kernel object it created was released; the last event of a run.
     *
     * @param module the module's name
     * @param result how it ended (also what {@link RunningModule#await()} returns)
     * @param stats its counters at the end
     */
    record Ended(String module, RunResult result, RunStats stats) implements Lifecycle {
        @Override
        public String describe() {
            return module + ": ended (" + result + ", exit status " + result.exitCode() + "), "
                    + stats.samplesDelivered() + " samples delivered, everything released";
        }
    }

    /**
     * The guest trapped; {@link Ended} follows.
     *
     * @param module the module's name
     * @param message the trap's message
     * @param wasmStackTrace the guest's frames, innermost first (may be empty)
     */
    record Trapped(String module, String message, List<String> wasmStackTrace) implements Diagnostic {
        /** Copies the stack trace. */
        public Trapped {
            wasmStackTrace = List.copyOf(wasmStackTrace);
        }

        @Override
        public String describe() {
            return module + " trapped: " + message;
        }
    }

    /**
     * The run's {@link RunConfig#timeout()} expired: it was terminated and everything released.
     *
     * @param module the module's name
     * @param timeout the limit that expired
     */
    record TimedOut(String module, Duration timeout) implements Diagnostic {
        @Override
        public String describe() {
            return module + " timed out after " + GuestRun.describe(timeout) + ": terminated, everything released";
        }
    }

    /**
     * The guest ignored termination for {@code grace} outside host calls: its kernel objects were released
     * and its thread left to spin (see {@link RunningModule#terminate()}).
     *
     * @param module the module's name
     * @param grace how long it was given
     */
    record Abandoned(String module, Duration grace) implements Diagnostic {
        @Override
        public String describe() {
            return module + " did not stop within " + GuestRun.describe(grace)
                    + " (interpreted Wasm looping without calls cannot be interrupted); its kernel objects are released"
                    + " and its thread is abandoned";
        }
    }

    /**
     * {@code memory.grow} was refused by {@link RunConfig#maxMemoryBytes()}; sent for the first refusal only.
     *
     * @param module the module's name
     * @param pagesAsked the 64 KiB pages the guest asked for
     * @param pagesInUse the pages it had
     * @param limitBytes the limit
     */
    record MemoryGrowRefused(String module, int pagesAsked, int pagesInUse, long limitBytes) implements Diagnostic {
        @Override
        public String describe() {
            return module + ": memory.grow by " + pagesAsked + " pages refused: memory limit " + limitBytes
                    + " bytes reached (" + pagesInUse + " pages in use)";
        }
    }

    /**
     * {@code wasm_load_bpf_object} failed (the guest gets handle 0).
     *
     * @param module the module's name
     * @param errno the error number behind it (0 when the object was refused before reaching the kernel)
     * @param message what went wrong, as printed
     */
    record ObjectLoadFailed(String module, int errno, String message) implements Diagnostic {
        @Override
        public String describe() {
            return message;
        }
    }

    /**
     * The kernel or libbpf refused an attach; the guest gets {@code -errno}.
     *
     * @param module the module's name
     * @param program the program's function name
     * @param target the target the guest named; empty for an attach by section
     * @param errno the error number
     * @param reason libbpf's or the kernel's explanation
     */
    record AttachFailed(String module, String program, String target, int errno, String reason) implements Diagnostic {
        @Override
        public String describe() {
            return "attach " + program + (target.isEmpty() ? "" : " to " + target) + " failed: " + reason;
        }
    }

    /**
     * An attach target outside what {@link RunConfig.Builder#allowAttach} (or a preopen) grants; the guest
     * gets {@code -EACCES}.
     *
     * @param module the module's name
     * @param program the program's function name
     * @param target the target the guest named
     * @param grant the option that would grant it
     */
    record AttachRefused(String module, String program, String target, String grant) implements Diagnostic {
        @Override
        public String describe() {
            return "attach " + program + " to " + target + " refused: not under a path granted by " + grant;
        }
    }

    /**
     * An attach target of the wrong form; the guest gets {@code -EINVAL}.
     *
     * @param module the module's name
     * @param program the program's function name
     * @param target the target the guest named
     * @param expected the form the program's kind wants, e.g. {@code path:function}
     */
    record BadAttachTarget(String module, String program, String target, String expected) implements Diagnostic {
        @Override
        public String describe() {
            return "attach " + program + ": uprobe target must be " + expected + ", got " + target;
        }
    }

    /**
     * A buffer poller could not be set up for a map; the guest gets {@code -errno}.
     *
     * @param module the module's name
     * @param map the map's name
     * @param errno the error number
     * @param reason the explanation
     */
    record PollFailed(String module, String map, int errno, String reason) implements Diagnostic {
        @Override
        public String describe() {
            return "poll " + map + ": " + reason;
        }
    }

    /**
     * A callback-style poll found no exported callback of the configured name
     * ({@link RunConfig#callbackExportName()}); the guest gets {@code -EINVAL}.
     *
     * @param module the module's name
     * @param exportName the export looked for
     */
    record CallbackMissing(String module, String exportName) implements Diagnostic {
        @Override
        public String describe() {
            return "poll: the module exports no callback function named " + exportName;
        }
    }

    /**
     * A host function failed in a way it did not expect: a bug in the host, reported rather than crashing the
     * guest. Sent for the {@code wasm_bpf} functions, which then return {@code -EIO}; a WASI or embedder
     * function that fails traps the guest instead, and {@link Trapped} carries the message.
     *
     * @param module the module's name
     * @param function the function's import name, e.g. {@code wasm_attach_bpf_program}
     * @param cause the exception
     */
    record HostCallFailed(String module, String function, Throwable cause) implements Diagnostic {
        @Override
        public String describe() {
            return function + ": internal error: " + cause;
        }
    }

    /**
     * Releasing the run's kernel objects failed (they are released as far as possible regardless).
     *
     * @param module the module's name
     * @param message the failure
     */
    record ReleaseFailed(String module, String message) implements Diagnostic {
        @Override
        public String describe() {
            return "releasing BPF objects failed: " + message;
        }
    }
}
