package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The server side of a UDP session as a Netty datagram channel: used on the io_uring and NIO transports, where a
 * channel's register and connect complete later, so the datagrams that come before are held.
 */
final class ChannelUdpServerSide extends ChannelInboundHandlerAdapter implements UdpServerSide {
    /** Datagrams held while the socket is being set up; more are dropped, as a full queue would. */
    private static final int MAX_EARLY = 64;

    private final UdpSession session;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private final Channel server;
    private boolean connected;
    private boolean closed;

    /**
     * A socket in the family of {@code address}.
     *
     * @throws RuntimeException when no socket can be had (EMFILE)
     */
    ChannelUdpServerSide(Transport transport, InetSocketAddress address, UdpSession session) {
        this.session = session;
        server = transport.newDatagramChannel(address);
        server.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, DatagramBuffers.receiveBuffers(transport));
        server.pipeline().addLast(this);
    }

    @Override
    public void open(EventLoop loop, InetSocketAddress address) {
        loop.register(server).addListener(registered -> {
            if (!registered.isSuccess() || closed) {
                session.close();
                return;
            }
            server.connect(address).addListener(done -> {
                if (!done.isSuccess()) {
                    session.failed(done.cause());
                    return;
                }
                connected = true;
                while (!early.isEmpty()) {
                    server.write(early.poll(), server.voidPromise());
                }
                session.flush();
            });
        });
    }

    @Override
    public boolean send(ByteBuf received) {
        // Queued, so copied out at its own size (the listener's receive buffer is the largest datagram's).
        ByteBuf content = DatagramBuffers.detach(server.alloc(), received);
        if (!connected) {
            if (early.size() < MAX_EARLY) {
                early.add(content);
            } else {
                content.release();
            }
            return false;
        }
        if (!server.isWritable()) {
            content.release(); // the socket's buffer is full: dropped, as the network would
            return false;
        }
        server.write(content, server.voidPromise());
        return true;
    }

    @Override
    public boolean flush() {
        if (!connected || closed) {
            return false;
        }
        server.flush();
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!early.isEmpty()) {
            early.poll().release();
        }
        server.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = DatagramBuffers.detach(ctx.alloc(), ((DatagramPacket) msg).content());
        session.fromServer(content);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.serverReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.failed(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.close();
    }
}
