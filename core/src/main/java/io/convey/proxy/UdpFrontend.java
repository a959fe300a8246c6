package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one listener socket of a UDP frontend: finds or opens the {@link UdpSession} of each client address and
 * port, and hands it the client's datagrams.
 *
 * <p>Concurrency: everything here runs on the listener's event loop, and every session of this listener has its
 * server socket on that same loop, so the session map needs no lock. A frontend may have one listener per event
 * loop (SO_REUSEPORT, where the kernel keeps a client address and port on one socket); they share the session
 * count the cap applies to.
 */
final class UdpFrontend extends ChannelInboundHandlerAdapter {
    private final String frontend;
    private final DatagramRouter router;
    private final Transport transport;
    private final AtomicInteger sessionCount;
    private final Map<InetSocketAddress, UdpSession> sessions = new HashMap<>();
    /** Sessions written to in this read loop, flushed once at its end (a sendmmsg where the transport batches). */
    private final List<UdpSession> toFlush = new ArrayList<>();
    private Channel listener;
    /**
     * The listener's socket on epoll, where a reply is sent at once with {@code sendto(2)}; null on the other
     * transports, whose replies are written through the channel and flushed at the end of the server's read.
     */
    private Socket socket;

    UdpFrontend(String frontend, DatagramRouter router, Transport transport, AtomicInteger sessionCount) {
        this.frontend = frontend;
        this.router = router;
        this.transport = transport;
        this.sessionCount = sessionCount;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        listener = ctx.channel();
        if (transport == Transport.EPOLL && listener instanceof UnixChannel unix && unix.fd() instanceof Socket s) {
            socket = s;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        InetSocketAddress client = packet.sender();
        UdpSession session = sessions.get(client);
        if (session == null) {
            session = open(client);
            if (session == null) {
                packet.release(); // the shared receive buffer is free again
                return;
            }
        }
        // The content may be the loop's receive buffer (epoll): the server side sends it at once or copies it out.
        if (session.fromClient(packet.content())) {
            toFlush.add(session);
        }
    }

    private UdpSession open(InetSocketAddress client) {
        UdpSessionPolicy policy = router.policy(frontend);
        if (policy == null) {
            return null;
        }
        if (sessionCount.get() >= policy.maxSessions()) {
            router.dropped(frontend, true);
            return null;
        }
        DatagramRoute route = router.select(frontend, client);
        if (route == null) {
            router.dropped(frontend, false);
            return null;
        }
        UdpSession session = new UdpSession(this, client, route, policy);
        sessions.put(client, session);
        sessionCount.incrementAndGet();
        session.open(transport, listener.eventLoop());
        return session;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0; i < toFlush.size(); i++) {
            toFlush.get(i).flush();
        }
        toFlush.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Replies leave through the listener's socket: without it the sessions cannot answer their clients.
        for (UdpSession session : List.copyOf(sessions.values())) {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A listener's read error (an ICMP error queued on the socket, a truncated datagram) concerns one datagram;
        // the listener stays.
    }

    /**
     * Sends a server's reply to the client from the frontend's own address; owns {@code content}. On epoll it leaves
     * at once, so it may be a view of the loop's receive buffer ({@link #repliesAtOnce}); elsewhere it is queued
     * until {@link #flushReplies}.
     *
     * <p>Sending on the socket rather than through the channel: a DNS-like session has one reply, and Netty's write
     * path (a packet object, an outbound-buffer entry, the flush's pipeline walk, and a copy out of the shared
     * receive buffer first) was a tenth of the Java time per request in bench/udp. A full socket buffer (EAGAIN)
     * drops the datagram, as the channel's did when it was not writable.
     */
    void reply(InetSocketAddress client, ByteBuf content) {
        if (socket != null) {
            try {
                if (!listener.isOpen()) {
                    // Closed on this loop, its inactive event (which ends the sessions) still to come: the
                    // descriptor's number may already be another socket's.
                    return;
                }
                if (content.hasMemoryAddress()) {
                    socket.sendToAddress(content.memoryAddress(), content.readerIndex(), content.writerIndex(),
                            client.getAddress(), client.getPort());
                } else {
                    ByteBuffer buffer = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
                    socket.sendTo(buffer, buffer.position(), buffer.limit(), client.getAddress(), client.getPort());
                }
            } catch (IOException e) {
                // concerns this datagram only (the client's host may be unreachable); the listener stays
            } finally {
                content.release();
            }
            return;
        }
        if (listener.isWritable()) {
            listener.write(new DatagramPacket(content, client), listener.voidPromise());
        } else {
            content.release(); // the socket's buffer is full: a datagram is dropped, as the network would
        }
    }

    /** The allocator of the listener's event loop, for the datagrams its sessions copy out. */
    io.netty.buffer.ByteBufAllocator alloc() {
        return listener.alloc();
    }

    /** Whether {@link #reply} sends at once, so that a reply may be handed over as a view of the receive buffer. */
    boolean repliesAtOnce() {
        return socket != null;
    }

    void flushReplies() {
        if (socket == null) {
            listener.flush();
        }
    }

    void closed(InetSocketAddress client, UdpSession session) {
        if (sessions.remove(client, session)) {
            sessionCount.decrementAndGet();
        }
    }

    int sessions() {
        return sessions.size();
    }
}
