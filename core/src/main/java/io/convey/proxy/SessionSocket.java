package io.convey.proxy;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.netty.channel.ChannelException;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The system calls of a UDP session's server socket ({@link EpollUdpServerSide}): {@code socket}, {@code connect},
 * {@code send} and {@code recv} through libc with the JDK's foreign-function API.
 *
 * <p>Written here rather than taken from Netty's {@code LinuxSocket}, which the session used before: that class's
 * constructor asks the kernel for every new socket's address family ({@code getsockname}), one system call per
 * DNS-like request that nothing needs (the family is the one the socket was made with), and Netty has no way to make
 * one without it. The descriptor is still wrapped in Netty's {@code FileDescriptor} for the event loop's epoll and
 * for the close, so that Netty's registration knows the socket is closed. Linux x86-64/aarch64 values (the Debian
 * package's targets). Calls return what the kernel did, or minus its errno.
 */
final class SessionSocket {
    static final int EAGAIN = 11;
    static final int ECONNREFUSED = 111;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = downcall("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /** Per event loop: where a call leaves its errno, and a socket address to connect to. */
    private record Scratch(MemorySegment state, MemorySegment sockaddr) {}

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            Arena arena = Arena.ofAuto(); // freed with the loop's thread
            return new Scratch(arena.allocate(CALL_STATE), arena.allocate(SOCKADDR_IN6, 8));
        }
    };

    private SessionSocket() {}

    /**
     * A new non-blocking datagram socket of the address's family.
     *
     * @throws ChannelException when the kernel gives none (EMFILE, ENFILE), as Netty's socket would
     */
    static int open(InetSocketAddress address) {
        Scratch s = SCRATCH.get();
        int family = address.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
        try {
            int fd = (int) SOCKET.invokeExact(s.state(), family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new ChannelException("socket: errno " + errno(s));
            }
            return fd;
        } catch (ChannelException e) {
            throw e;
        } catch (Throwable t) {
            throw new ChannelException("socket", t);
        }
    }

    /** Connects {@code fd} to {@code address} (a UDP connect only sets the peer); 0 or minus errno. */
    static int connect(int fd, InetSocketAddress address) {
        Scratch s = SCRATCH.get();
        MemorySegment a = s.sockaddr();
        byte[] ip = address.getAddress().getAddress();
        int length;
        a.fill((byte) 0);
        if (ip.length == 4) {
            a.set(JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(ip, 0, a, JAVA_BYTE, 4, 4);
            length = SOCKADDR_IN;
        } else {
            a.set(JAVA_SHORT, 0, (short) AF_INET6);
            MemorySegment.copy(ip, 0, a, JAVA_BYTE, 8, 16);
            if (address.getAddress() instanceof Inet6Address v6) {
                a.set(JAVA_INT, 24, v6.getScopeId());
            }
            length = SOCKADDR_IN6;
        }
        a.set(JAVA_BYTE, 2, (byte) (address.getPort() >>> 8)); // network order
        a.set(JAVA_BYTE, 3, (byte) address.getPort());
        try {
            int r;
            do {
                r = (int) CONNECT.invokeExact(s.state(), fd, a, length);
            } while (r < 0 && errno(s) == EINTR);
            return r < 0 ? -errno(s) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("connect", t);
        }
    }

    /** Sends the buffer's remaining bytes as one datagram; the bytes sent, or minus errno. */
    static long send(int fd, ByteBuffer buffer) {
        return transfer(SEND, fd, buffer);
    }

    /** Receives one datagram into the buffer's remaining space; its length (0 for an empty one), or minus errno. */
    static long recv(int fd, ByteBuffer buffer) {
        return transfer(RECV, fd, buffer);
    }

    /** {@code send} or {@code recv} on a direct buffer's remaining bytes, without flags. */
    private static long transfer(MethodHandle call, int fd, ByteBuffer buffer) {
        Scratch s = SCRATCH.get();
        try {
            long n = (long) call.invokeExact(s.state(), fd, MemorySegment.ofBuffer(buffer), (long) buffer.remaining(), 0);
            return n < 0 ? -errno(s) : n;
        } catch (Throwable t) {
            throw new IllegalStateException(call == SEND ? "send" : "recv", t);
        }
    }

    private static int errno(Scratch s) {
        return (int) ERRNO.get(s.state(), 0L);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc symbol: " + name + " (expected: present)"));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }
}
