package io.convey.packet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Raw IP sockets ({@code SOCK_RAW, IPPROTO_RAW}, which implies {@code IP_HDRINCL}, and on Linux its IPv6
 * counterpart: the packet's own header is sent) called through the JDK's foreign-function API: the kernel routes
 * each packet and resolves the next hop's MAC, as the original's layer-3 sender did. An IPv4 socket always, an
 * IPv6 one where the host has IPv6. Needs root or CAP_NET_RAW. One thread at a time; the native buffers are reused.
 */
final class RawIpSocket implements AutoCloseable {
    private static final ValueLayout.OfInt BIG_ENDIAN_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    /** sizeof(struct sockaddr_in6): family, port, flow info, address (at 8), scope id. */
    private static final int SOCKADDR_IN6 = 28;
    /** errno when the kernel has no IPv6 (booted with ipv6.disable=1). */
    private static final int EAFNOSUPPORT = 97;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(65536);
    private final MemorySegment address = arena.allocate(16);
    private final MemorySegment address6 = arena.allocate(SOCKADDR_IN6);
    private final MemorySegment callState = arena.allocate(Libc.CALL_STATE);
    private final int fd;
    private final int fd6;
    private int lastErrno;

    private RawIpSocket(int fd, int fd6) {
        this.fd = fd;
        this.fd6 = fd6;
        address.set(JAVA_SHORT, 0, (short) Libc.AF_INET); // sin_family is in host order
        address6.set(JAVA_SHORT, 0, (short) Libc.AF_INET6); // port, flow info and scope id stay 0
    }

    static RawIpSocket open() throws IOException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = temp.allocate(Libc.CALL_STATE);
            int fd = (int) Libc.SOCKET.invokeExact(state, Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_RAW);
            if (fd < 0) {
                throw new IOException("raw socket: errno " + Libc.errno(state)
                        + " (expected: running as root or with CAP_NET_RAW)");
            }
            int fd6 = (int) Libc.SOCKET.invokeExact(state, Libc.AF_INET6, Libc.SOCK_RAW, Libc.IPPROTO_RAW);
            if (fd6 < 0 && Libc.errno(state) != EAFNOSUPPORT) {
                int errno = Libc.errno(state);
                Libc.closeQuietly(state, fd);
                throw new IOException("raw IPv6 socket: errno " + errno + " (expected: 0, or 97 without IPv6)");
            }
            return new RawIpSocket(fd, fd6);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("raw socket: " + t, t);
        }
    }

    /** Sends an IPv4 packet (header included); false if the kernel refused it, see {@link #lastErrno()}. */
    boolean send(byte[] packet, int offset, int length, int destinationIp) {
        address.set(BIG_ENDIAN_INT, 4, destinationIp);
        return sendTo(fd, packet, offset, length, address, 16);
    }

    /**
     * Sends an IPv6 packet (header included) to the destination in its header, which the kernel routes by; false
     * if refused or if the host has no IPv6.
     */
    boolean sendIpv6(byte[] packet, int offset, int length) {
        if (fd6 < 0) {
            lastErrno = EAFNOSUPPORT;
            return false;
        }
        MemorySegment.copy(packet, offset + 24, address6, JAVA_BYTE, 8, 16);
        return sendTo(fd6, packet, offset, length, address6, SOCKADDR_IN6);
    }

    private boolean sendTo(int socket, byte[] packet, int offset, int length, MemorySegment to, int toLength) {
        MemorySegment.copy(packet, offset, buffer, JAVA_BYTE, 0, length);
        long sent;
        try {
            sent = (long) Libc.SENDTO.invokeExact(callState, socket, buffer, (long) length, 0, to, toLength);
        } catch (Throwable t) {
            throw new IllegalStateException("sendto: " + t, t);
        }
        if (sent < 0) {
            lastErrno = Libc.errno(callState);
            return false;
        }
        return true;
    }

    int lastErrno() {
        return lastErrno;
    }

    @Override
    public void close() {
        try {
            Libc.closeQuietly(callState, fd);
            if (fd6 >= 0) {
                Libc.closeQuietly(callState, fd6);
            }
        } finally {
            arena.close();
        }
    }
}
