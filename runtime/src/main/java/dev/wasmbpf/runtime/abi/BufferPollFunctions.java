package dev.wasmbpf.runtime.abi;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.runtime.RunEvent;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * {@code wasm_bpf_buffer_poll} in its two flavours: the C one names the callback by function-table index,
 * the TinyGo one ({@code callback-wrapper} by default) calls an exported function ({@code go-callback}).
 *
 * <p>Long and infinite timeouts are polled in slices so that pause and terminate requests are honoured
 * while the guest waits for events: a thread blocked in {@code epoll_wait} does not see interruption.
 * Stopping goes through those requests, never through {@code -EINTR}: an {@code epoll_wait} interrupted by
 * some other signal is retried within the guest's timeout.
 */
final class BufferPollFunctions {
    static final String POLL = "wasm_bpf_buffer_poll";
    static final FunctionType CALLBACK_TYPE = FunctionType.of(List.of(I32, I32, I32), List.of(I32));
    static final String INDIRECT_FUNCTION_TABLE = "__indirect_function_table";
    private static final int SLICE_MS = 100;

    private final AbiContext context;
    /** The module's exports and function types never change: resolved once, not on every poll. */
    private int indirectTable = -1;

    private int lastCheckedCallback = -1;

    BufferPollFunctions(AbiContext context) {
        this.context = context;
    }

    HostFunction tablePoll() {
        return HostFunctions.define(
                context,
                HostFunctions.MODULE,
                POLL,
                HostFunctions.type(List.of(I64, I32, I32, I32, I32, I32, I32), List.of(I32)),
                args -> poll(
                        args[0],
                        (int) args[1],
                        () -> tableFunction((int) args[2]),
                        (int) args[3],
                        (int) args[4],
                        (int) args[5],
                        (int) args[6]));
    }

    HostFunction wrapperPoll(String wrapperModule) {
        return HostFunctions.define(
                context,
                wrapperModule,
                POLL,
                HostFunctions.type(List.of(I64, I32, I32, I32, I32, I32), List.of(I32)),
                args -> poll(
                        args[0],
                        (int) args[1],
                        () -> exportedFunction(context.callbackExportName()),
                        (int) args[2],
                        (int) args[3],
                        (int) args[4],
                        (int) args[5]));
    }

    /**
     * @param callbackFunction resolves the guest function (or a negative errno) once the handle, map and buffer are
     *     known to be valid, so that those errors take precedence
     */
    long poll(long handle, int fd, IntSupplier callbackFunction, int ctx, int data, int maxSize, int timeoutMs) {
        LoadedObject loaded = context.objects().get(handle);
        if (loaded == null) {
            return -Errno.EINVAL;
        }
        BpfMap map = loaded.mapByFd(fd);
        if (map == null) {
            return -Errno.EBADF;
        }
        if (maxSize < 0 || !context.memory().contains(data, maxSize)) {
            return -Errno.EFAULT;
        }
        int function = callbackFunction.getAsInt();
        if (function < 0) {
            return function;
        }
        BufferPoller poller = loaded.poller(fd);
        if (poller != null && poller.polling()) {
            // From a callback of this very map's poll: the reader is in the middle of the buffer.
            return -Errno.EBUSY;
        }
        if (poller == null) {
            try {
                poller = BufferPoller.open(map, new GuestCallback(context, loaded::closing));
            } catch (BpfException e) {
                if (e.errno() != Errno.EINVAL) {
                    context.emit(new RunEvent.PollFailed(context.moduleName(), map.name(), e.errno(), e.getMessage()));
                }
                return -e.errno();
            }
            loaded.addPoller(fd, poller);
        }
        poller.callback().prepare(function, ctx, data, maxSize);
        // Everything the guest set up before its first poll is live now: it has reached its event loop.
        context.monitor().bufferPolled();
        loaded.enterPoll();
        try {
            return pollInSlices(poller, timeoutMs);
        } finally {
            loaded.exitPoll();
            context.monitor().samplesDelivered(poller.callback().delivered());
        }
    }

    private long pollInSlices(BufferPoller poller, int timeoutMs) {
        GuestCallback sink = poller.callback();
        boolean forever = timeoutMs < 0;
        long deadline = System.nanoTime() + Math.max(0, timeoutMs) * 1_000_000L;
        while (true) {
            long remainingMs = forever ? SLICE_MS : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            int slice = (int) Math.min(remainingMs, SLICE_MS);
            int result = poller.poll(slice);
            if (sink.objectClosed()) {
                // The guest closed the object from its callback: the samples after that one are not delivered.
                return sink.delivered();
            }
            if (result == -Errno.EINTR) {
                // A signal the runtime did not mean for the guest (a debugger attaching, say): a stop request
                // ends the guest at this checkpoint, anything else is waited out like a timeout.
                context.control().checkpoint();
                result = 0;
            }
            if (result < 0) {
                return result;
            }
            boolean timedOut = !forever && remainingMs <= slice;
            if (sink.delivered() > 0 || timedOut) {
                return sink.delivered();
            }
            context.control().checkpoint();
        }
    }

    /** Function index behind a table slot, or -EINVAL for an empty/out-of-range slot or a wrong type. */
    private int tableFunction(int slot) {
        Instance instance = context.instance();
        if (instance.tableCount() == 0) {
            return -Errno.EINVAL;
        }
        if (indirectTable < 0) {
            indirectTable = indirectTableIndex(instance);
        }
        TableInstance table = instance.table(indirectTable);
        if (slot < 0 || slot >= table.size()) {
            return -Errno.EINVAL;
        }
        // The slot is read on every poll (the guest may rewrite its table); only the type check is cached.
        int function = table.ref(slot);
        if (function < 0) {
            return -Errno.EINVAL;
        }
        if (function != lastCheckedCallback) {
            if (!hasCallbackType(instance, function)) {
                return -Errno.EINVAL;
            }
            lastCheckedCallback = function;
        }
        return function;
    }

    private int exportedFunction(String name) {
        Instance instance = context.instance();
        ExportSection exports = instance.module().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (export.name().equals(name) && export.exportType() == ExternalType.FUNCTION) {
                return hasCallbackType(instance, export.index()) ? export.index() : -Errno.EINVAL;
            }
        }
        context.emit(new RunEvent.CallbackMissing(context.moduleName(), name));
        return -Errno.EINVAL;
    }

    private static int indirectTableIndex(Instance instance) {
        ExportSection exports = instance.module().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (export.exportType() == ExternalType.TABLE && export.name().equals(INDIRECT_FUNCTION_TABLE)) {
                return export.index();
            }
        }
        return 0;
    }

    private static boolean hasCallbackType(Instance instance, int function) {
        if (function >= instance.functionCount()) {
            return false;
        }
        return CALLBACK_TYPE.typesMatch(instance.type(instance.functionType(function)));
    }
}
