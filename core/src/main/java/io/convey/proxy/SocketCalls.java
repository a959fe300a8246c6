package io.convey.proxy;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The socket system calls of the proxy's own epoll sockets (a UDP session's server socket, {@link EpollUdpServerSide},
 * and both sockets of a plain TCP flow, {@link DirectFlow}) through libc with the JDK's foreign-function API.
 *
 * <p>Written here rather than taken from Netty's {@code LinuxSocket}, which these sockets used before: that class's
 * constructor asks the kernel for every new socket's address family ({@code getsockname}), one system call per
 * socket that nothing needs (the family is the one the socket was made with), and Netty has no way to make or wrap
 * one without it. The descriptors are still wrapped in Netty's {@code FileDescriptor} for the event loop's epoll and
 * for the close, so that Netty's registration knows a socket is closed. The calls are bound as "critical" (no
 * thread-state change around them): every socket here is non-blocking, so none of them waits. Linux x86-64/aarch64
 * values (the Debian package's targets). Calls return what the kernel did, or minus its errno.
 */
final class SocketCalls {
    static final int EAGAIN = 11;
    static final int EINPROGRESS = 115;
    static final int ECONNREFUSED = 111;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;
    /** send(2) flag: a peer gone answers EPIPE rather than raising SIGPIPE. */
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ERROR = 4;
    private static final int SO_LINGER = 13;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int TCP_QUICKACK = 12;
    private static final int SHUT_WR = 1;

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
    private static final MethodHandle SHUTDOWN = downcall("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    /** Per event loop: where a call leaves its errno, a socket address, and an option value with its length. */
    private record Scratch(MemorySegment state, MemorySegment sockaddr, MemorySegment option, MemorySegment length) {}

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            Arena arena = Arena.ofAuto(); // freed with the loop's thread
            return new Scratch(arena.allocate(CALL_STATE), arena.allocate(SOCKADDR_IN6, 8), arena.allocate(8, 4),
                    arena.allocate(JAVA_INT));
        }
    };

    private SocketCalls() {}

    /**
     * A new non-blocking socket of {@code type} ({@link #SOCK_STREAM}, {@link #SOCK_DGRAM}) in the address's family.
     *
     * @throws ChannelException when the kernel gives none (EMFILE, ENFILE), as Netty's socket would
     */
    static int open(InetSocketAddress address, int type) {
        Scratch s = SCRATCH.get();
        int family = address.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
        try {
            int fd = (int) SOCKET.invokeExact(s.state(), family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
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

    /**
     * Connects {@code fd} to {@code address}: 0, or minus errno ({@code -EINPROGRESS} for a TCP connect under way;
     * a UDP connect only sets the peer).
     */
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

    /** Sends the buffer's remaining bytes (one datagram on UDP); the bytes sent, or minus errno. */
    static long send(int fd, ByteBuffer buffer) {
        return transfer(SEND, fd, buffer, MSG_NOSIGNAL);
    }

    /** Receives into the buffer's remaining space (one datagram on UDP); the bytes read (0: EOF on TCP), or minus errno. */
    static long recv(int fd, ByteBuffer buffer) {
        return transfer(RECV, fd, buffer, 0);
    }

    /** {@code send} or {@code recv} on a direct buffer's remaining bytes. */
    private static long transfer(MethodHandle call, int fd, ByteBuffer buffer, int flags) {
        Scratch s = SCRATCH.get();
        try {
            long n = (long) call.invokeExact(s.state(), fd, MemorySegment.ofBuffer(buffer), (long) buffer.remaining(),
                    flags);
            return n < 0 ? -errno(s) : n;
        } catch (Throwable t) {
            throw new IllegalStateException(call == SEND ? "send" : "recv", t);
        }
    }

    /** {@code shutdown(SHUT_WR)}: sends the FIN once what is queued is sent; 0 or minus errno. */
    static int shutdownOutput(int fd) {
        Scratch s = SCRATCH.get();
        try {
            int r = (int) SHUTDOWN.invokeExact(s.state(), fd, SHUT_WR);
            return r < 0 ? -errno(s) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("shutdown", t);
        }
    }

    /** Closes a descriptor that no registration knows of yet (a connection refused at accept). */
    static void close(int fd) {
        try {
            new FileDescriptor(fd).close();
        } catch (IOException e) {
            // the descriptor is released all the same
        }
    }

    /** TCP_NODELAY on a socket this process made (accepted sockets inherit it from their listener). */
    static int noDelay(int fd) {
        Scratch s = SCRATCH.get();
        s.option().set(JAVA_INT, 0, 1);
        return setsockopt(s, fd, IPPROTO_TCP, TCP_NODELAY, 4);
    }

    /**
     * TCP_QUICKACK off on a socket about to connect with bytes to send soon (a PROXY header, the client's request):
     * the kernel does not answer the server's SYN-ACK with an ACK of its own but lets the first data segment carry
     * it. The server's kernel completes the handshake and queues the bytes at once, so the server wakes once, not
     * once to accept and again to read, and one packet less crosses. Without bytes to send, the ACK would wait for
     * the delayed-ACK timer (200 ms): {@link #sendHeldAck} sends it ({@link HandshakeAcks}).
     */
    static int delayHandshakeAck(int fd) {
        Scratch s = SCRATCH.get();
        s.option().set(JAVA_INT, 0, 0);
        return setsockopt(s, fd, IPPROTO_TCP, TCP_QUICKACK, 4);
    }

    /** TCP_QUICKACK on again: an ACK the kernel holds back (the handshake's, after {@link #delayHandshakeAck}) leaves now. */
    static int sendHeldAck(int fd) {
        Scratch s = SCRATCH.get();
        s.option().set(JAVA_INT, 0, 1);
        return setsockopt(s, fd, IPPROTO_TCP, TCP_QUICKACK, 4);
    }

    /** SO_LINGER 0: the close that follows resets the connection and leaves no TIME_WAIT. */
    static int resetOnClose(int fd) {
        Scratch s = SCRATCH.get();
        s.option().set(JAVA_INT, 0, 1); // l_onoff
        s.option().set(JAVA_INT, 4, 0); // l_linger
        return setsockopt(s, fd, SOL_SOCKET, SO_LINGER, 8);
    }

    private static int setsockopt(Scratch s, int fd, int level, int name, int length) {
        try {
            int r = (int) SETSOCKOPT.invokeExact(s.state(), fd, level, name, s.option(), length);
            return r < 0 ? -errno(s) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt", t);
        }
    }

    /** The socket's pending error (SO_ERROR, which reading clears): why a connect failed; 0 for none. */
    static int pendingError(int fd) {
        Scratch s = SCRATCH.get();
        s.length().set(JAVA_INT, 0, 4);
        try {
            int r = (int) GETSOCKOPT.invokeExact(s.state(), fd, SOL_SOCKET, SO_ERROR, s.option(), s.length());
            return r < 0 ? errno(s) : s.option().get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt", t);
        }
    }

    /** The socket's local address ({@code getsockname}), or null when the kernel gives none. */
    static InetSocketAddress localAddress(int fd) {
        Scratch s = SCRATCH.get();
        MemorySegment a = s.sockaddr();
        s.length().set(JAVA_INT, 0, SOCKADDR_IN6);
        try {
            int r = (int) GETSOCKNAME.invokeExact(s.state(), fd, a, s.length());
            if (r < 0) {
                return null;
            }
            int port = ((a.get(JAVA_BYTE, 2) & 0xff) << 8) | (a.get(JAVA_BYTE, 3) & 0xff);
            InetAddress ip;
            if (a.get(JAVA_SHORT, 0) == AF_INET) {
                ip = Inet4Address.getByAddress(a.asSlice(4, 4).toArray(JAVA_BYTE));
            } else {
                ip = Inet6Address.getByAddress(null, a.asSlice(8, 16).toArray(JAVA_BYTE), a.get(JAVA_INT, 24));
            }
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            return null; // a length the kernel does not give
        } catch (Throwable t) {
            throw new IllegalStateException("getsockname", t);
        }
    }

    private static int errno(Scratch s) {
        return (int) ERRNO.get(s.state(), 0L);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc symbol: " + name + " (expected: present)"));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"),
                Linker.Option.critical(false));
    }
}
