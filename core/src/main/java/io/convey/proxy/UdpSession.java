package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client address and port of a UDP frontend and its server: a connected datagram socket to the server, whose
 * replies go back through the frontend's listener, so that the client sees them come from the address it sent to.
 *
 * <p>The session ends when idle for the frontend's {@code udp_idle_timeout_s}; with counted responses (NGINX's
 * {@code proxy_responses}) once every client datagram had its answers, or when one waited longer than the answer
 * timeout (a silent server); and when the server's host answers ICMP port unreachable, which a connected UDP socket
 * reports as {@link PortUnreachableException}. Confined to the listener's event loop, like its server socket.
 */
final class UdpSession extends ChannelInboundHandlerAdapter {
    /** Datagrams held while the server socket is being set up; more are dropped, as a full queue would. */
    private static final int MAX_EARLY = 64;

    private final UdpFrontend frontend;
    private final InetSocketAddress client;
    private final DatagramRoute route;
    private final UdpSessionPolicy policy;
    private final DatagramObserver observer;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private Channel server;
    private EventLoop loop;
    private boolean connected;
    private boolean closed;
    private boolean answered;
    private boolean closeWhenFlushed;
    private long lastActivity;
    /** Answers still expected, with counted responses. */
    private long outstanding;
    /** When the oldest unanswered request (or the last answer while more are due) was seen; 0 when none is due. */
    private long waitingSince;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> answerTimer;

    UdpSession(UdpFrontend frontend, InetSocketAddress client, DatagramRoute route, UdpSessionPolicy policy) {
        this.frontend = frontend;
        this.client = client;
        this.route = route;
        this.policy = policy;
        this.observer = route.observer();
    }

    void open(Transport transport, EventLoop loop) {
        this.loop = loop;
        observer.sessionOpened();
        lastActivity = System.nanoTime();
        idleTimer = loop.schedule(this::checkIdle, policy.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            server = transport.newDatagramChannel(route.address());
        } catch (RuntimeException e) { // no socket (EMFILE): the session cannot be served
            loop.execute(this::close);
            return;
        }
        server.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, DatagramBuffers.receiveBuffers(transport));
        server.pipeline().addLast(this);
        loop.register(server).addListener(registered -> {
            if (!registered.isSuccess() || closed) {
                close();
                return;
            }
            server.connect(route.address()).addListener(done -> {
                if (!done.isSuccess()) {
                    failed(done.cause());
                    return;
                }
                connected = true;
                while (!early.isEmpty()) {
                    server.write(early.poll(), server.voidPromise());
                }
                flush();
            });
        });
    }

    /** A client datagram (its content, owned by this call); true when it was written and waits for a flush. */
    boolean fromClient(ByteBuf content) {
        if (closed) {
            content.release();
            return false;
        }
        lastActivity = System.nanoTime();
        observer.datagramFromClient(content.readableBytes());
        if (policy.countsResponses()) {
            if (policy.responses() == 0) {
                closeWhenFlushed = true;
            } else {
                if (outstanding == 0) {
                    waitingSince = lastActivity;
                    scheduleAnswerCheck(route.answerTimeout().toNanos());
                }
                outstanding += policy.responses();
            }
        }
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

    void flush() {
        if (connected && !closed) {
            server.flush();
            if (closeWhenFlushed) {
                close();
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        if (closed) {
            packet.release(); // the shared receive buffer is free again
            return;
        }
        lastActivity = System.nanoTime();
        ByteBuf content = DatagramBuffers.detach(ctx.alloc(), packet.content());
        observer.datagramFromServer(content.readableBytes());
        if (!answered) {
            answered = true;
            observer.answered();
        }
        frontend.reply(client, content);
        if (policy.countsResponses() && policy.responses() > 0) {
            outstanding--;
            waitingSince = outstanding > 0 ? lastActivity : 0;
            if (outstanding <= 0) {
                closeWhenFlushed = true;
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        frontend.flushReplies();
        if (closeWhenFlushed && !closed) {
            close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
    }

    private void failed(Throwable cause) {
        if (closed) {
            return;
        }
        if (cause instanceof PortUnreachableException) {
            observer.unreachable();
        }
        close();
    }

    private void checkIdle() {
        if (closed) {
            return;
        }
        long idleFor = System.nanoTime() - lastActivity;
        long limit = policy.idleTimeout().toNanos();
        if (idleFor >= limit) {
            close();
        } else {
            idleTimer = loop.schedule(this::checkIdle, limit - idleFor, TimeUnit.NANOSECONDS);
        }
    }

    private void scheduleAnswerCheck(long delayNanos) {
        if (answerTimer == null || answerTimer.isDone()) {
            answerTimer = loop.schedule(this::checkAnswers, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkAnswers() {
        if (closed || outstanding <= 0 || waitingSince == 0) {
            return;
        }
        long waited = System.nanoTime() - waitingSince;
        long limit = route.answerTimeout().toNanos();
        if (waited >= limit) {
            observer.unanswered(route.answerTimeout());
            close();
        } else {
            answerTimer = loop.schedule(this::checkAnswers, limit - waited, TimeUnit.NANOSECONDS);
        }
    }

    /** Ends the session: closes the server socket, forgets the client, releases what waits. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        if (answerTimer != null) {
            answerTimer.cancel(false);
        }
        while (!early.isEmpty()) {
            early.poll().release();
        }
        if (server != null) {
            server.close();
        }
        frontend.closed(client, this);
        observer.sessionClosed();
    }
}
