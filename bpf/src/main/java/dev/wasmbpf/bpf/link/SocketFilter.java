package dev.wasmbpf.bpf.link;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.wasmbpf.bpf.BpfException;
import dev.wasmbpf.bpf.BpfProgram;
import dev.wasmbpf.bpf.Errno;
import dev.wasmbpf.bpf.ProgramType;
import dev.wasmbpf.bpf.internal.CallState;
import dev.wasmbpf.bpf.internal.LibcCalls;
import dev.wasmbpf.bpf.internal.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;

/**
 * Attaches a socket filter to a new raw packet socket ({@code AF_PACKET}, {@code SOCK_RAW}, all protocols) bound to
 * a network interface, with {@code SO_ATTACH_BPF} (Linux 3.19). The filter sees every packet of the interface. The
 * link owns the socket: closing the link closes the socket, which detaches the filter.
 */
public final class SocketFilter {
    private static final StructLayout SOCKADDR_LL = NativeLayouts.SOCKADDR_LL;
    private static final long SLL_FAMILY = NativeLayouts.offset(SOCKADDR_LL, "sll_family");
    private static final long SLL_PROTOCOL = NativeLayouts.offset(SOCKADDR_LL, "sll_protocol");
    private static final long SLL_IFINDEX = NativeLayouts.offset(SOCKADDR_LL, "sll_ifindex");

    private SocketFilter() {}

    /** ENODEV for an unknown interface, EINVAL for a program that is not SOCKET_FILTER, the socket calls' errno. */
    public static BpfLink attach(BpfProgram program, String ifname) throws BpfException {
        int ifindex = NetworkInterface.indexFor(program, ifname, ProgramType.SOCKET_FILTER, "a socket");
        int progFd = Attachment.loadedFd(program);
        int sock = boundPacketSocket(program, ifname, ifindex);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            MemorySegment fdValue = arena.allocateFrom(JAVA_INT, progFd);
            if (LibcCalls.setsockopt(state, sock, LibcCalls.SOL_SOCKET, LibcCalls.SO_ATTACH_BPF, fdValue, 4) < 0) {
                int errno = CallState.errno(state);
                throw new BpfException(
                        "cannot attach socket filter '" + program.name() + "' to " + ifname + ": "
                                + Errno.describe(errno),
                        errno);
            }
        } catch (BpfException | RuntimeException e) {
            LibcCalls.close(sock);
            throw e;
        }
        return OwnedLink.adopt(program, program.name() + " -> socket filter on " + ifname, () -> LibcCalls.close(sock));
    }

    /** A new {@code AF_PACKET} raw socket for every protocol, bound to {@code ifindex}; closed again on failure. */
    private static int boundPacketSocket(BpfProgram program, String ifname, int ifindex) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.allocate(arena);
            // socket(2) takes the protocol in network byte order for AF_PACKET (packet(7)).
            int protocol = Short.toUnsignedInt(Short.reverseBytes((short) LibcCalls.ETH_P_ALL));
            int sock =
                    LibcCalls.socket(state, LibcCalls.AF_PACKET, LibcCalls.SOCK_RAW | LibcCalls.SOCK_CLOEXEC, protocol);
            if (sock < 0) {
                int errno = CallState.errno(state);
                throw new BpfException(
                        "cannot open a packet socket for program '" + program.name() + "': " + Errno.describe(errno),
                        errno);
            }
            try {
                MemorySegment address = arena.allocate(SOCKADDR_LL);
                address.set(JAVA_SHORT, SLL_FAMILY, (short) LibcCalls.AF_PACKET);
                address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), SLL_PROTOCOL, (short) LibcCalls.ETH_P_ALL);
                address.set(JAVA_INT, SLL_IFINDEX, ifindex);
                if (LibcCalls.bind(state, sock, address, (int) SOCKADDR_LL.byteSize()) < 0) {
                    int errno = CallState.errno(state);
                    throw new BpfException(
                            "cannot bind a packet socket to " + ifname + ": " + Errno.describe(errno), errno);
                }
                return sock;
            } catch (BpfException | RuntimeException e) {
                LibcCalls.close(sock);
                throw e;
            }
        }
    }
}
