package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;

/**
 * The server side of a UDP session on the epoll transport: a connected datagram socket registered with the event
 * loop's epoll handler directly, through Netty's public {@link EpollIoHandle}, rather than as an
 * {@code EpollDatagramChannel}.
 *
 * <p>A DNS-like session lives for one request, so what a socket costs to set up and tear down is most of its cost.
 * Measured with {@code strace} on Netty 4.2.18 (docs/benchmarks.md), an {@code EpollDatagramChannel} per session
 * makes, besides socket, connect, send, recv and close: a {@code setsockopt(IP_MULTICAST_ALL)} in its constructor,
 * a {@code getsockname} and {@code getpeername} after connect, three {@code epoll_ctl} (add on registration, then
 * modify for its error and read interests) and a fourth to delete it before the close, and one more {@code recv}
 * that answers EAGAIN after the last expected answer: 16 system calls per DNS-like request against NGINX's 11; 8
 * without them and without the {@code getsockname} of Netty's socket ({@link SocketCalls}). Here a session's socket
 * is connected at once (a UDP connect only sets the peer), added to epoll with
 * its read interest in one {@code epoll_ctl}, closed before its registration is cancelled (the kernel then drops it
 * from epoll), and read only while the session still expects answers: epoll is level-triggered, so a datagram left
 * unread is reported again. A client datagram is sent as it comes; sending needs no flush.
 *
 * <p>Confined to the session's event loop.
 */
final class EpollUdpServerSide implements UdpServerSide, EpollIoHandle {
    /** Datagrams read per wake-up, as Netty's datagram channels. */
    private static final int READS_PER_WAKEUP = 16;

    private final FileDescriptor socket;
    private final int fd;
    private final UdpSession session;
    private final ByteBufAllocator alloc;
    private IoRegistration registration;
    private boolean closed;

    /**
     * A socket of the family of {@code address}.
     *
     * @throws io.netty.channel.ChannelException when no socket can be had (EMFILE)
     */
    EpollUdpServerSide(InetSocketAddress address, UdpSession session, ByteBufAllocator alloc) {
        this.fd = SocketCalls.open(address, SocketCalls.SOCK_DGRAM);
        this.socket = new FileDescriptor(fd);
        this.session = session;
        this.alloc = alloc;
    }

    @Override
    public void open(EventLoop loop, InetSocketAddress address) {
        int connected = SocketCalls.connect(fd, address);
        if (connected < 0) {
            session.failed(new IOException("connect " + address + ": errno " + -connected));
            return;
        }
        ((IoEventLoop) loop).register(this).addListener(done -> {
            if (!done.isSuccess()) {
                session.failed(done.cause());
                return;
            }
            registration = (IoRegistration) done.getNow();
            if (closed) {
                registration.cancel();
            } else {
                registration.submit(EpollIoOps.EPOLLIN);
            }
        });
    }

    @Override
    public boolean send(ByteBuf content) {
        try {
            if (closed) {
                return false;
            }
            // A full socket buffer (EAGAIN) drops the datagram, as the network would. The content is direct: the
            // frontend's receive buffer.
            long sent = SocketCalls.send(fd, content.internalNioBuffer(content.readerIndex(), content.readableBytes()));
            if (sent < 0 && sent != -SocketCalls.EAGAIN) {
                session.failed(error("send", sent));
                return false;
            }
            return true;
        } finally {
            content.release();
        }
    }

    @Override
    public boolean flush() {
        return !closed;
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** Readable or in error (an ICMP port unreachable): reads what the session still expects. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        ByteBuf shared = DatagramBuffers.shared();
        for (int i = 0; i < READS_PER_WAKEUP && !closed && session.expectsAnswers(); i++) {
            long n = SocketCalls.recv(fd, shared.internalNioBuffer(0, shared.capacity()));
            if (n == -SocketCalls.EAGAIN) {
                break;
            }
            if (n < 0) {
                session.failed(error("recv", n));
                return;
            }
            int length = (int) n;
            // A reply that leaves at once is handed over as a view of the receive buffer, not copied.
            session.fromServer(session.repliesAtOnce() ? shared.retainedSlice(0, length)
                    : alloc.directBuffer(length, length).writeBytes(shared, 0, length));
        }
        session.serverReadComplete();
    }

    /** A failed call's error; ECONNREFUSED on a connected UDP socket is the server's ICMP port unreachable. */
    private static IOException error(String call, long result) {
        return result == -SocketCalls.ECONNREFUSED ? new PortUnreachableException(call + ": port unreachable")
                : new IOException(call + ": errno " + -result);
    }

    /** Closes the socket, then leaves epoll without an epoll_ctl: the kernel removed the closed socket already. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the descriptor is released all the same
        }
        if (registration != null) {
            registration.cancel();
        }
        session.close();
    }
}
