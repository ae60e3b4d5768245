package dev.wasmbpf.runtime;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Bounds-checked access to a guest's linear memory. Every (pointer, length) pair from the guest is
 * checked against the memory's size <em>at the time of the call</em>: a guest may grow its memory inside a
 * callback, so the memory is re-resolved from the instance on every access instead of being cached.
 *
 * <p>Pointers are unsigned 32-bit offsets; arithmetic is done in {@code long} so that ranges that wrap
 * around 2^32 are rejected rather than wrapped.
 */
public final class GuestMemory {
    /** Longest guest string the host accepts, terminator excluded (ABI spec: longer is -EFAULT). */
    public static final int MAX_STRING_LENGTH = 4096;

    private final Instance instance;
    private byte[] scratch = new byte[256];

    /**
     * Access to {@code instance}'s memory, resolved again on every call.
     *
     * @param instance the guest's instance
     */
    public GuestMemory(Instance instance) {
        this.instance = instance;
    }

    private Memory memory() {
        return instance.memory();
    }

    /**
     * The memory's current size.
     *
     * @return the size in bytes
     */
    public long size() {
        return (long) memory().pages() * Memory.PAGE_SIZE;
    }

    /**
     * Whether a range lies inside memory.
     *
     * @param ptr the range's start, unsigned
     * @param len its length; a negative one is never valid
     * @return true when [ptr, ptr+len) lies inside memory
     */
    public boolean contains(long ptr, long len) {
        if (ptr < 0 || len < 0) {
            return false;
        }
        return ptr + len <= size();
    }

    /**
     * {@link #contains(long, long)} for an i32 pointer as the guest passes it.
     *
     * @param ptr the range's start, read as unsigned
     * @param len its length
     * @return true when the range lies inside memory
     */
    public boolean contains(int ptr, int len) {
        return contains(Integer.toUnsignedLong(ptr), len);
    }

    /**
     * Reads a NUL-terminated UTF-8 string.
     *
     * @param ptr the string's first byte
     * @return the string, or empty when there is no NUL inside memory within {@link #MAX_STRING_LENGTH} bytes
     */
    public Optional<String> readCString(int ptr) {
        long start = Integer.toUnsignedLong(ptr);
        long limit = Math.min(size(), start + MAX_STRING_LENGTH + 1);
        Memory memory = memory();
        for (long at = start; at < limit; at++) {
            if (memory.read((int) at) == 0) {
                int length = (int) (at - start);
                return Optional.of(new String(memory.readBytes((int) start, length), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /**
     * Copies guest bytes out; the caller has checked the range.
     *
     * @param ptr the first byte
     * @param len how many bytes
     * @return a copy of them
     */
    public byte[] read(int ptr, int len) {
        return memory().readBytes(ptr, len);
    }

    /**
     * Copies bytes into guest memory (a host function's results, say).
     *
     * @param ptr where they go
     * @param bytes what goes there
     * @throws IndexOutOfBoundsException when the range is outside memory
     */
    public void write(int ptr, byte[] bytes) {
        if (!contains(ptr, bytes.length)) {
            throw new IndexOutOfBoundsException("guest range [" + Integer.toUnsignedString(ptr) + ", +" + bytes.length
                    + ") is outside its " + size() + "-byte memory");
        }
        memory().write(ptr, bytes, 0, bytes.length);
    }

    /**
     * Copies guest bytes into a native segment at offset 0; the caller has checked the range.
     *
     * @param ptr the first guest byte
     * @param destination the native segment
     * @param len how many bytes
     */
    public void copyToNative(int ptr, MemorySegment destination, int len) {
        // Chicory's paged memory has no bulk read into a caller's array: readBytes allocates one.
        MemorySegment.copy(memory().readBytes(ptr, len), 0, destination, ValueLayout.JAVA_BYTE, 0, len);
    }

    /**
     * Copies bytes of a native segment into guest memory; the caller has checked the range.
     *
     * @param source the native segment
     * @param sourceOffset where in it the bytes start
     * @param ptr where they go in guest memory
     * @param len how many bytes
     */
    public void copyFromNative(MemorySegment source, long sourceOffset, int ptr, int len) {
        byte[] buffer = scratch(len);
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, sourceOffset, buffer, 0, len);
        memory().write(ptr, buffer, 0, len);
    }

    private byte[] scratch(int len) {
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        return scratch;
    }
}
