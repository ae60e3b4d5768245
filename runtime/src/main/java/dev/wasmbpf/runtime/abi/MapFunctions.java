package dev.wasmbpf.runtime.abi;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.runtime.HostFunction;
import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.Errno;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * {@code wasm_bpf_map_fd_by_name} and {@code wasm_bpf_map_operate}. Key and value sizes come from the map
 * (per-CPU values span every possible CPU), and every guest buffer is bounds-checked against them before
 * the kernel sees a byte.
 */
final class MapFunctions {
    static final String MAP_OPERATE = "wasm_bpf_map_operate";
    /** The ABI's type of map_operate: i32 pointers. */
    static final List<com.dylibso.chicory.wasm.types.ValType> I32_POINTER_PARAMS =
            List.of(I32, I32, I32, I32, I32, I64);
    /** Some Go and Rust guest SDKs declare the pointers as i64; bound when a module imports that type. */
    static final List<com.dylibso.chicory.wasm.types.ValType> I64_POINTER_PARAMS =
            List.of(I32, I32, I64, I64, I64, I64);

    static final int CMD_LOOKUP = 1;
    static final int CMD_UPDATE = 2;
    static final int CMD_DELETE = 3;
    static final int CMD_NEXT_KEY = 4;

    private final AbiContext context;

    MapFunctions(AbiContext context) {
        this.context = context;
    }

    HostFunction mapFdByName() {
        return HostFunctions.define(
                context,
                HostFunctions.MODULE,
                "wasm_bpf_map_fd_by_name",
                HostFunctions.type(List.of(I64, I32), List.of(I32)),
                args -> mapFdByName(args[0], (int) args[1]));
    }

    /** map_operate with the parameter types the module imports it with. */
    HostFunction mapOperate(boolean i64Pointers) {
        if (i64Pointers) {
            return HostFunctions.define(
                    context,
                    HostFunctions.MODULE,
                    MAP_OPERATE,
                    HostFunctions.type(I64_POINTER_PARAMS, List.of(I32)),
                    args -> operate((int) args[0], (int) args[1], args[2], args[3], args[4], args[5]));
        }
        return HostFunctions.define(
                context,
                HostFunctions.MODULE,
                MAP_OPERATE,
                HostFunctions.type(I32_POINTER_PARAMS, List.of(I32)),
                args -> operate(
                        (int) args[0],
                        (int) args[1],
                        Integer.toUnsignedLong((int) args[2]),
                        Integer.toUnsignedLong((int) args[3]),
                        Integer.toUnsignedLong((int) args[4]),
                        args[5]));
    }

    long mapFdByName(long handle, int namePtr) {
        LoadedObject loaded = context.objects().get(handle);
        if (loaded == null) {
            return -Errno.EINVAL;
        }
        Optional<String> name = context.memory().readCString(namePtr);
        if (name.isEmpty()) {
            return -Errno.EFAULT;
        }
        return loaded.object().map(name.get()).map(map -> (long) map.fd()).orElse((long) -Errno.ENOENT);
    }

    /** Pointers arrive as unsigned offsets widened to long (i64 variants may pass anything). */
    long operate(int fd, int cmd, long key, long value, long nextKey, long flags) {
        BpfMap map = context.objects().mapByFd(fd);
        if (map == null) {
            return -Errno.EBADF;
        }
        return switch (cmd) {
            case CMD_LOOKUP -> lookup(map, key, value);
            case CMD_UPDATE -> update(map, key, value, flags);
            case CMD_DELETE -> delete(map, key);
            case CMD_NEXT_KEY -> nextKey(map, key, nextKey);
            default -> -Errno.EINVAL;
        };
    }

    private long lookup(BpfMap map, long key, long value) {
        int valueSize = map.valueBufferSize();
        if (!inBounds(key, map.keySize()) || !inBounds(value, valueSize)) {
            return -Errno.EFAULT;
        }
        MemorySegment nativeKey = keyIn(map, key, NativeScratch.KEY);
        MemorySegment nativeValue = context.scratch().slot(NativeScratch.VALUE, valueSize);
        int result = map.lookup(nativeKey, nativeValue);
        if (result == 0) {
            context.memory().copyFromNative(nativeValue, 0, (int) value, valueSize);
        }
        return result;
    }

    private long update(BpfMap map, long key, long value, long flags) {
        int valueSize = map.valueBufferSize();
        if (!inBounds(key, map.keySize()) || !inBounds(value, valueSize)) {
            return -Errno.EFAULT;
        }
        MemorySegment nativeKey = keyIn(map, key, NativeScratch.KEY);
        MemorySegment nativeValue = context.scratch().slot(NativeScratch.VALUE, valueSize);
        context.memory().copyToNative((int) value, nativeValue, valueSize);
        return map.update(nativeKey, nativeValue, flags);
    }

    private long delete(BpfMap map, long key) {
        if (!inBounds(key, map.keySize())) {
            return -Errno.EFAULT;
        }
        return map.delete(keyIn(map, key, NativeScratch.KEY));
    }

    /** A key pointer of 0 means "from the first key" (ABI spec), as a NULL key does in libbpf. */
    private long nextKey(BpfMap map, long key, long nextKey) {
        int keySize = map.keySize();
        if ((key != 0 && !inBounds(key, keySize)) || !inBounds(nextKey, keySize)) {
            return -Errno.EFAULT;
        }
        MemorySegment nativeKey = key == 0 ? MemorySegment.NULL : keyIn(map, key, NativeScratch.KEY);
        MemorySegment nativeNext = context.scratch().slot(NativeScratch.NEXT_KEY, keySize);
        int result = map.nextKey(nativeKey, nativeNext);
        if (result == 0) {
            context.memory().copyFromNative(nativeNext, 0, (int) nextKey, keySize);
        }
        return result;
    }

    private boolean inBounds(long ptr, int size) {
        return ptr >= 0 && ptr <= 0xFFFF_FFFFL && context.memory().contains(ptr, size);
    }

    private MemorySegment keyIn(BpfMap map, long key, int slot) {
        MemorySegment nativeKey = context.scratch().slot(slot, map.keySize());
        context.memory().copyToNative((int) key, nativeKey, map.keySize());
        return nativeKey;
    }
}
