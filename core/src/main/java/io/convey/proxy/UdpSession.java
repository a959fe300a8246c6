package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.TimeUnit;

/**
 * One client address and port of a UDP frontend and its server: a socket connected to the server
 * ({@link UdpServerSide}), whose replies go back through the frontend's listener, so that the client sees them come
 * from the address it sent to.
 *
 * <p>The session ends when idle for the frontend's {@code udp_idle_timeout_s}; with counted responses (NGINX's
 * {@code proxy_responses}) once every client datagram had its answers, or when one waited longer than the answer
 * timeout (a silent server); and when the server's host answers ICMP port unreachable, which a connected UDP socket
 * reports as {@link PortUnreachableException}. One timer watches both deadlines. Confined to the listener's event
 * loop, like its server socket.
 */
final class UdpSession {
    private final UdpFrontend frontend;
    private final InetSocketAddress client;
    private final DatagramRoute route;
    private final UdpSessionPolicy policy;
    private final DatagramObserver observer;
    private final long idleLimit;
    private final long answerLimit;
    private UdpServerSide server;
    private EventLoop loop;
    private boolean closed;
    private boolean answered;
    private boolean closeWhenFlushed;
    private long lastActivity;
    /** Answers still expected, with counted responses. */
    private long outstanding;
    /** When the oldest unanswered request (or the last answer while more are due) was seen; 0 when none is due. */
    private long waitingSince;
    private ScheduledFuture<?> timer;
    /** When {@link #timer} fires (System.nanoTime). */
    private long timerDue;

    UdpSession(UdpFrontend frontend, InetSocketAddress client, DatagramRoute route, UdpSessionPolicy policy) {
        this.frontend = frontend;
        this.client = client;
        this.route = route;
        this.policy = policy;
        this.observer = route.observer();
        this.idleLimit = policy.idleTimeout().toNanos();
        this.answerLimit = route.answerTimeout().toNanos();
    }

    /** Opens the socket to the server; the first client datagram follows at once and sets the timer. */
    void open(Transport transport, EventLoop loop) {
        this.loop = loop;
        observer.sessionOpened();
        lastActivity = System.nanoTime();
        try {
            server = transport.newUdpServerSide(route.address(), this, frontend.alloc());
        } catch (RuntimeException e) { // no socket (EMFILE): the session cannot be served
            loop.execute(this::close);
            return;
        }
        server.open(loop, route.address());
    }

    /** A client datagram (its content, owned by this call); true when it was sent and waits for a flush. */
    boolean fromClient(ByteBuf content) {
        if (closed || server == null) {
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
                }
                outstanding += policy.responses();
            }
        }
        if (timer == null || (waitingSince != 0 && waitingSince + answerLimit < timerDue)) {
            schedule(lastActivity);
        }
        return server.send(content);
    }

    /** Pushes out the client datagrams sent in this read; a session that expects nothing more then ends. */
    void flush() {
        if (!closed && server.flush() && closeWhenFlushed) {
            close();
        }
    }

    /** Whether the server's socket should be read: the session is open and, with counted responses, owed one. */
    boolean expectsAnswers() {
        return !closed && !(policy.countsResponses() && outstanding <= 0);
    }

    /** A datagram from the server (its content, owned by this call): relayed to the client. */
    void fromServer(ByteBuf content) {
        if (closed) {
            content.release();
            return;
        }
        lastActivity = System.nanoTime();
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

    /** Whether {@link #fromServer} sends at once: its content may then be a view of the loop's receive buffer. */
    boolean repliesAtOnce() {
        return frontend.repliesAtOnce();
    }

    /** The end of a read from the server: the replies leave, and a session that had all its answers ends. */
    void serverReadComplete() {
        frontend.flushReplies();
        if (closeWhenFlushed && !closed) {
            close();
        }
    }

    /** The server's socket failed (ICMP port unreachable, a refused connect): the session ends. */
    void failed(Throwable cause) {
        if (closed) {
            return;
        }
        if (cause instanceof PortUnreachableException) {
            observer.unreachable();
        }
        close();
    }

    /** Sets the timer to the nearer of the idle deadline and, while an answer is due, the answer deadline. */
    private void schedule(long now) {
        long due = lastActivity + idleLimit;
        if (waitingSince != 0 && outstanding > 0) {
            due = Math.min(due, waitingSince + answerLimit);
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDue = due;
        timer = loop.schedule(this::check, due - now, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastActivity >= idleLimit) {
            close();
            return;
        }
        if (waitingSince != 0 && outstanding > 0 && now - waitingSince >= answerLimit) {
            observer.unanswered(route.answerTimeout());
            close();
            return;
        }
        schedule(now);
    }

    /** Ends the session: closes the server socket, forgets the client. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (server != null) {
            server.close();
        }
        frontend.closed(client, this);
        observer.sessionClosed();
    }
}
