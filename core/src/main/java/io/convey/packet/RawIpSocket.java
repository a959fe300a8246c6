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
 * A raw IPv4 socket ({@code AF_INET, SOCK_RAW, IPPROTO_RAW}, which implies {@code IP_HDRINCL}) called through the
 * JDK's foreign-function API: the kernel routes each packet and resolves the next hop's MAC, as the original's
 * layer-3 sender did. Needs root or CAP_NET_RAW. One thread at a time; the native buffers are reused.
 */
final class RawIpSocket implements AutoCloseable {
    private static final ValueLayout.OfInt BIG_ENDIAN_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(65536);
    private final MemorySegment address = arena.allocate(16);
    private final MemorySegment callState = arena.allocate(Libc.CALL_STATE);
    private final int fd;
    private int lastErrno;

    private RawIpSocket(int fd) {
        this.fd = fd;
        address.set(JAVA_SHORT, 0, (short) Libc.AF_INET); // sin_family is in host order
    }

    static RawIpSocket open() throws IOException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = temp.allocate(Libc.CALL_STATE);
            int fd = (int) Libc.SOCKET.invokeExact(state, Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_RAW);
            if (fd < 0) {
                throw new IOException("raw socket: errno " + Libc.errno(state)
                        + " (expected: running as root or with CAP_NET_RAW)");
            }
            return new RawIpSocket(fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("raw socket: " + t, t);
        }
    }

    /** Sends an IPv4 packet (header included); false if the kernel refused it, see {@link #lastErrno()}. */
    boolean send(byte[] packet, int offset, int length, int destinationIp) {
        MemorySegment.copy(packet, offset, buffer, JAVA_BYTE, 0, length);
        address.set(BIG_ENDIAN_INT, 4, destinationIp);
        long sent;
        try {
            sent = (long) Libc.SENDTO.invokeExact(callState, fd, buffer, (long) length, 0, address, 16);
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
        } finally {
            arena.close();
        }
    }
}
