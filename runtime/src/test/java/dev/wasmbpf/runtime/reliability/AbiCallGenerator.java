package dev.wasmbpf.runtime.reliability;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes up hostile calls: arbitrary handles, fds, commands, flags, pointers and lengths, biased towards the
 * values that break hosts (0, -1, the last byte of memory, one past it, ranges that wrap around 2^32,
 * 2^31, huge counts) and towards real handles and fds often enough to get past the first check.
 */
final class AbiCallGenerator {
    private static final String[] NAMES = {
        "handle_exec",
        "events",
        "kv",
        "pc",
        ".rodata",
        ".bss",
        "",
        "missing",
        "handle_exec\u00ff",
        "../../etc/passwd",
        "/sys/fs/cgroup",
        "lo",
        "/bin/true:main"
    };
    private static final int[] WEIGHTS = weights();

    private final Random random;
    private final FuzzLayout layout;
    private final FuzzWorld world;

    AbiCallGenerator(Random random, FuzzLayout layout, FuzzWorld world) {
        this.random = random;
        this.layout = layout;
        this.world = world;
    }

    private static int[] weights() {
        int[] w = new int[FuzzOp.values().length];
        for (FuzzOp op : FuzzOp.values()) {
            w[op.ordinal()] = switch (op) {
                case MAP_OPERATE -> 30;
                case BUFFER_POLL, MAP_FD_BY_NAME -> 10;
                case ATTACH, LOAD, CLOSE -> 6;
                case FD_WRITE, FD_READ, POLL_ONEOFF, RANDOM_GET, PATH_OPEN -> 3;
                default -> 2;
            };
        }
        return w;
    }

    FuzzOp pickOp() {
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        int pick = random.nextInt(total);
        for (FuzzOp op : FuzzOp.values()) {
            pick -= WEIGHTS[op.ordinal()];
            if (pick < 0) {
                return op;
            }
        }
        throw new AssertionError();
    }

    private final java.util.ArrayDeque<Long> newHandles = new java.util.ArrayDeque<>();

    /** After a real load, ask for its map's fd first, so that the world knows every fd the instance owns. */
    void loaded(long handle) {
        newHandles.add(handle);
    }

    FuzzCall next(long memorySize) {
        Long fresh = newHandles.poll();
        if (fresh != null) {
            byte[] name = "events\0".getBytes(StandardCharsets.UTF_8);
            return new FuzzCall(
                    FuzzOp.MAP_FD_BY_NAME,
                    new long[] {fresh, layout.workStart()},
                    List.of(new FuzzCall.Write(layout.workStart(), name)),
                    false);
        }
        return generate(pickOp(), memorySize);
    }

    private boolean beyondRoom;

    FuzzCall generate(FuzzOp op, long memorySize) {
        beyondRoom = false;
        List<FuzzCall.Write> writes = new ArrayList<>();
        long[] args = switch (op) {
            case LOAD -> load(memorySize, writes);
            case ATTACH -> attach(memorySize, writes);
            case MAP_FD_BY_NAME -> new long[] {handle(), string(memorySize, writes, true)};
            case MAP_OPERATE ->
                new long[] {
                    fd(),
                    command(),
                    pointer(memorySize, 64).address,
                    pointer(memorySize, 512).address,
                    pointer(memorySize, 64).address,
                    flags()
                };
            case BUFFER_POLL -> poll(memorySize);
            case CLOSE -> new long[] {closeHandle()};
            case FD_WRITE, FD_READ -> {
                Pointer iovs = pointer(memorySize, 64);
                int count = random.nextInt(8) == 0 ? wildInt() : random.nextInt(5);
                if (iovs.room >= 64 && count >= 0 && count <= 4) {
                    ByteBuffer vec = le(count * 8);
                    for (int i = 0; i < count; i++) {
                        Pointer buf = pointer(memorySize, 256);
                        vec.putInt((int) buf.address).putInt((int) length(buf, memorySize));
                    }
                    writes.add(new FuzzCall.Write(iovs.address, vec.array()));
                }
                yield new long[] {wasiFd(), iovs.address, count, pointer(memorySize, 8).address};
            }
            case FD_CLOSE -> new long[] {wasiFd()};
            case FD_SEEK ->
                new long[] {
                    wasiFd(),
                    random.nextLong(),
                    random.nextInt(6) == 0 ? wildInt() : random.nextInt(4),
                    pointer(memorySize, 8).address
                };
            case FD_FDSTAT_GET, FD_PRESTAT_GET, FD_FILESTAT_GET ->
                new long[] {wasiFd(), pointer(memorySize, 64).address};
            case PATH_OPEN -> {
                Pointer path = pointer(memorySize, 64);
                long length = length(path, memorySize);
                if (path.room >= 64 && length >= 0 && length <= 64) {
                    writes.add(new FuzzCall.Write(
                            path.address, padded(NAMES[random.nextInt(NAMES.length)], (int) length)));
                }
                yield new long[] {
                    wasiFd(),
                    random.nextInt(4),
                    path.address,
                    length,
                    random.nextInt(32),
                    random.nextLong(),
                    random.nextLong(),
                    random.nextInt(32),
                    pointer(memorySize, 4).address
                };
            }
            case PATH_FILESTAT_GET -> {
                Pointer path = pointer(memorySize, 64);
                yield new long[] {
                    wasiFd(), random.nextInt(4), path.address, length(path, memorySize), pointer(memorySize, 64).address
                };
            }
            case RANDOM_GET -> {
                Pointer buf = pointer(memorySize, FuzzLayout.MAX_WORK_LENGTH);
                yield new long[] {buf.address, length(buf, memorySize)};
            }
            case CLOCK_TIME_GET ->
                new long[] {
                    random.nextInt(6) == 0 ? wildInt() : random.nextInt(4),
                    random.nextLong(),
                    pointer(memorySize, 8).address
                };
            case ARGS_SIZES_GET, ARGS_GET, ENVIRON_GET ->
                new long[] {pointer(memorySize, 64).address, pointer(memorySize, 64).address};
            case POLL_ONEOFF -> pollOneoff(memorySize, writes);
            case FD_PRESTAT_DIR_NAME -> {
                Pointer buf = pointer(memorySize, 256);
                yield new long[] {wasiFd(), buf.address, length(buf, memorySize)};
            }
            case SCHED_YIELD -> new long[0];
        };
        return new FuzzCall(op, args, writes, beyondRoom);
    }

    private long[] load(long memorySize, List<FuzzCall.Write> writes) {
        if (world.realLoadsLeft > 0 && world.openHandles.size() < 3 && random.nextInt(50) == 0) {
            world.realLoadsLeft--;
            if (world.objectBytes != null) {
                writes.add(new FuzzCall.Write(world.objectAddress, world.objectBytes));
            }
            return new long[] {world.objectAddress, world.objectLength};
        }
        if (random.nextInt(3) == 0 && world.objectBytes != null) {
            // Truncated real object, straight from the guest's copy: libbpf must reject it cleanly.
            return new long[] {world.objectAddress, random.nextInt(world.objectLength)};
        }
        Pointer buffer = pointer(memorySize, FuzzLayout.MAX_WORK_LENGTH);
        long length = length(buffer, memorySize);
        if (buffer.room >= 64 && length > 0 && length <= buffer.room) {
            byte[] junk = new byte[(int) length];
            random.nextBytes(junk);
            if (random.nextBoolean() && junk.length >= 4) {
                junk[0] = 0x7f;
                junk[1] = 'E';
                junk[2] = 'L';
                junk[3] = 'F';
            }
            writes.add(new FuzzCall.Write(buffer.address, junk));
        }
        return new long[] {buffer.address, length};
    }

    private long[] attach(long memorySize, List<FuzzCall.Write> writes) {
        long handle = handle();
        long name = string(memorySize, writes, false);
        long target = random.nextInt(3) == 0 ? 0 : string(memorySize, writes, false);
        return new long[] {handle, name, target};
    }

    /** A name pointer: usually a written string (a real program or map name or junk), else anything. */
    private long string(long memorySize, List<FuzzCall.Write> writes, boolean mapNames) {
        Pointer at = pointer(memorySize, FuzzLayout.MAX_WORK_LENGTH);
        if (at.room < FuzzLayout.MAX_WORK_LENGTH || random.nextInt(4) == 0) {
            return at.address;
        }
        String name = NAMES[random.nextInt(NAMES.length)];
        if (name.equals("handle_exec") && !mapNames) {
            if (world.realAttachesLeft <= 0) {
                name = "handle_exec_not";
            } else {
                world.realAttachesLeft--;
            }
        }
        byte[] bytes;
        switch (random.nextInt(8)) {
            case 0 -> {
                // Longer than the ABI's 4096-byte string limit, unterminated inside the room.
                bytes = new byte[FuzzLayout.MAX_WORK_LENGTH];
                java.util.Arrays.fill(bytes, (byte) 'a');
            }
            case 1 -> {
                bytes = new byte[1 + random.nextInt(64)];
                random.nextBytes(bytes);
                bytes[bytes.length - 1] = 0;
            }
            default -> bytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        }
        writes.add(new FuzzCall.Write(at.address, bytes));
        return at.address;
    }

    private long[] poll(long memorySize) {
        long handle = handle();
        long fd = fd();
        Pointer data = pointer(memorySize, 512);
        long maxSize = random.nextInt(3) == 0 ? length(data, memorySize) : Math.min(data.room, 256);
        long callback = switch (random.nextInt(6)) {
            case 0, 1, 2 -> world.callbackIndex;
            case 3 -> 0;
            case 4 -> -1;
            default -> wildInt();
        };
        boolean couldBlock = world.isOpenHandle(handle) && world.isOpenFd(fd);
        long timeout = couldBlock ? random.nextInt(2) : wildInt();
        return new long[] {handle, fd, callback, random.nextInt(), data.address, maxSize, timeout};
    }

    private long[] pollOneoff(long memorySize, List<FuzzCall.Write> writes) {
        Pointer in = pointer(memorySize, 256);
        Pointer out = pointer(memorySize, 256);
        int count = random.nextInt(5);
        if (in.room >= 256 && out.room >= 256) {
            // Subscriptions the host may act on must not sleep: the first is always a clock of at most 1 ms
            // (waiting for stdin alone is a legitimate way to sleep forever), the rest anything.
            ByteBuffer subs = le(count * 48);
            for (int i = 0; i < count; i++) {
                int base = i * 48;
                subs.putLong(base, random.nextLong());
                boolean clock = i == 0 || random.nextInt(3) != 0;
                subs.put(base + 8, (byte) (clock ? 0 : 1 + random.nextInt(2)));
                if (clock) {
                    subs.putInt(base + 16, random.nextInt(4));
                    subs.putLong(base + 24, random.nextInt(1_000_000));
                    subs.putLong(base + 32, random.nextLong());
                    subs.putShort(base + 40, (short) random.nextInt(2));
                } else {
                    subs.putInt(base + 16, random.nextInt(3) == 0 ? random.nextInt() : 0);
                }
            }
            writes.add(new FuzzCall.Write(in.address, subs.array()));
            return new long[] {in.address, out.address, count, pointer(memorySize, 4).address};
        }
        // A subscription array the fuzzer could not prepare must lie outside memory, or its contents could sleep.
        long outside = memorySize + random.nextInt(1 << 16);
        return new long[] {
            outside,
            out.address,
            random.nextInt(8) == 0 ? wildInt() : 1 + random.nextInt(4),
            pointer(memorySize, 4).address
        };
    }

    private long handle() {
        List<Long> open = new ArrayList<>(world.openHandles.keySet());
        int pick = random.nextInt(10);
        if (pick < 6 && !open.isEmpty()) {
            return open.get(random.nextInt(open.size()));
        }
        if (pick == 6 && !world.closedHandles.isEmpty()) {
            return world.closedHandles.get(random.nextInt(world.closedHandles.size()));
        }
        long[] odd = {0, -1, 1, 2, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 1L << 32, random.nextLong()};
        return odd[random.nextInt(odd.length)];
    }

    private long closeHandle() {
        // Real closes are rare so that real handles live long enough to be used.
        if (!world.openHandles.isEmpty() && random.nextInt(20) == 0) {
            return world.openHandles.keySet().iterator().next();
        }
        long handle = handle();
        return world.isOpenHandle(handle) ? 0 : handle;
    }

    private long fd() {
        List<Integer> open = world.openFds();
        int pick = random.nextInt(10);
        if (pick < 6 && !open.isEmpty()) {
            return open.get(random.nextInt(open.size()));
        }
        long[] odd = {0, 1, 2, -1, 3 + random.nextInt(1021), Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt()};
        return odd[random.nextInt(odd.length)];
    }

    private long wasiFd() {
        long[] fds = {0, 1, 2, 3, 4, -1, random.nextInt(64), wildInt()};
        return fds[random.nextInt(fds.length)];
    }

    private long command() {
        return random.nextInt(8) == 0 ? wildInt() : random.nextInt(6);
    }

    private long flags() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> 0;
            case 2 -> random.nextInt(5);
            case 3 -> -1;
            default -> random.nextLong();
        };
    }

    private int wildInt() {
        int[] odd = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF_FFF0, random.nextInt()};
        return odd[random.nextInt(odd.length)];
    }

    /** An unsigned 32-bit guest address and how many bytes from it the host may legitimately write. */
    record Pointer(long address, int room) {}

    /**
     * @param want room a valid pointer of this call needs; pointers into memory get no more than their area
     *     allows, so that a host write beyond the room is a host bug, not the fuzzer's
     */
    private Pointer pointer(long memorySize, int want) {
        switch (random.nextInt(12)) {
            case 0:
                return new Pointer(0, Math.min(want, layout.lowWriteLimit()));
            case 1: {
                int limit = Math.max(1, layout.lowWriteLimit() - want);
                long at = 1 + random.nextInt(limit);
                return new Pointer(at, (int) Math.max(0, Math.min(want, layout.lowWriteLimit() - at)));
            }
            case 2, 3, 4, 5: {
                long span = layout.workEnd() - FuzzLayout.MAX_WORK_LENGTH - layout.workStart();
                return new Pointer(
                        layout.workStart() + (long) (random.nextDouble() * span), FuzzLayout.MAX_WORK_LENGTH);
            }
            case 6: {
                // The last bytes of memory: the guest leaves its tail unused, the host may write to its end.
                long k = random.nextInt(65);
                return new Pointer(memorySize - k, (int) k);
            }
            case 7:
                return new Pointer(memorySize + random.nextInt(64), 0);
            case 8:
                return new Pointer(0xFFFF_FFFFL - random.nextInt(64), 0);
            case 9:
                return new Pointer(0x8000_0000L + random.nextInt(128) - 64, 0);
            default: {
                long any = Integer.toUnsignedLong(random.nextInt());
                return any >= memorySize ? new Pointer(any, 0) : new Pointer(memorySize + 4096, 0);
            }
        }
    }

    /** A length for a buffer at {@code p}: small, exact fit, one over, or absurd. */
    private long length(Pointer p, long memorySize) {
        long length = anyLength(p, memorySize);
        if (p.address < memorySize && length > p.room) {
            beyondRoom = true;
        }
        return length;
    }

    private long anyLength(Pointer p, long memorySize) {
        return switch (random.nextInt(9)) {
            case 0 -> 0;
            case 1 -> Math.min(1, p.room);
            case 2, 3 -> p.room == 0 ? 1 : 1 + random.nextInt(p.room);
            case 4 -> p.address < memorySize && memorySize - p.address <= p.room ? memorySize - p.address : p.room;
            case 5 -> p.address < memorySize ? memorySize - p.address + 1 : 1;
            case 6 -> Integer.MAX_VALUE;
            case 7 -> 0xFFFF_FFFFL;
            default -> Integer.toUnsignedLong(wildInt()) >= memorySize ? wildInt() & 0xFFFF_FFFFL : 0x8000_0000L;
        };
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] padded(String text, int length) {
        byte[] bytes = new byte[length];
        byte[] source = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(source, 0, bytes, 0, Math.min(source.length, length));
        return bytes;
    }
}
