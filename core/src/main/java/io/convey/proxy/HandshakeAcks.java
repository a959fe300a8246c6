package io.convey.proxy;

import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Holds back the last ACK of a server connection's handshake until the client's first bytes can carry it, for one
 * event loop of the relay without channels ({@link DirectFlow}).
 *
 * <p>A connect sends SYN, gets SYN-ACK and answers with an ACK. The server's kernel puts the connection in the
 * server's accept queue on that ACK and wakes the server; the client's request follows in a segment of its own and
 * wakes it again. With TCP_QUICKACK off before the connect, the kernel does not send that ACK: the first data segment
 * carries it, so the server accepts the connection with the request already queued, in one wake-up, and one packet
 * less crosses. Measured with clients that speak first (HTTP) against the relay without it on a noisy machine: 1.06
 * times the new connections per second at 0.96 of the CPU per connection over 7 rounds (1.00 to 1.14 in two other
 * runs; docs/benchmarks.md). HAProxy does the same only when it has the client's bytes in hand at the
 * connect ({@code tcp-smart-connect}); here the client's request usually arrives just after the connect.
 *
 * <p>A server that speaks first (SMTP, MySQL, SSH) would see the connection only when the kernel's delayed-ACK timer
 * fires (200 ms), so an ACK waits at most {@link #WAIT_NANOS} for the client: then it is sent by turning TCP_QUICKACK
 * on, which sends a held ACK at once. A pool whose clients stayed silent through {@link #SILENT_TO_STOP} connects in
 * a row is taken for one whose servers speak first: its connects stop holding the ACK, but one in
 * {@link #PROBE_EVERY}, which finds out whether that is still so. What a pool's clients do is learned per loop, with
 * no sharing between threads; the pool's name keys it (the address for a server without one).
 *
 * <p>Confined to its event loop.
 */
final class HandshakeAcks implements Runnable {
    /** How long a held ACK waits for the client's first bytes. */
    static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Connects in a row with a silent client after which a pool's connects stop holding the ACK. */
    static final int SILENT_TO_STOP = 8;
    /** Of a pool's connects that do not hold the ACK, one in this many does, to see whether its clients speak first. */
    static final int PROBE_EVERY = 64;

    private static final FastThreadLocal<HandshakeAcks> LOOPS = new FastThreadLocal<>() {
        @Override
        protected HandshakeAcks initialValue() {
            return new HandshakeAcks();
        }
    };

    /**
     * A pool with no silent client yet. Lookups answer it rather than null: a connect path compiled while every
     * looked-up pool had an entry would otherwise be deoptimized (a null the compiler assumed away) by the first
     * connect to a pool added later, and the event loop would run it slower until it is compiled again.
     */
    private static final int[] NOT_SILENT = new int[2];

    /** Per pool: silent clients in a row, and connects since the last probe. */
    private final Map<Object, int[]> pools = new HashMap<>();
    /** Server sockets waiting for their client's bytes, oldest first, with the time their wait ends. */
    private DirectFlow.Side[] waiting = new DirectFlow.Side[64];
    private long[] deadlines = new long[64];
    private int head;
    private int tail;
    private IoEventLoop loop;
    private boolean scheduled;
    /** ACKs this loop sent on their own after the wait; for tests. */
    private long sentAlone;

    private HandshakeAcks() {}

    /** This event loop's; called on the loop only. */
    static HandshakeAcks onThisLoop() {
        return LOOPS.get();
    }

    /** Whether a connect to {@code server} should hold its handshake's ACK for the client's bytes. */
    boolean hold(Upstream server) {
        if (pools.isEmpty()) {
            return true;
        }
        int[] pool = pools.getOrDefault(key(server), NOT_SILENT);
        if (pool[0] < SILENT_TO_STOP) {
            return true;
        }
        return ++pool[1] % PROBE_EVERY == 0;
    }

    /** A held ACK went with the client's bytes: this pool's clients speak first. */
    void clientSpokeFirst(Upstream server) {
        if (!pools.isEmpty()) {
            int[] pool = pools.getOrDefault(key(server), NOT_SILENT);
            if (pool[0] != 0) { // so NOT_SILENT, shared by the loops, is never written
                pool[0] = 0;
            }
        }
    }

    /** A held ACK went alone: this pool's client stayed silent. */
    void clientSilent(Upstream server) {
        sentAlone++;
        int[] pool = pools.computeIfAbsent(key(server), k -> new int[2]);
        if (pool[0] < SILENT_TO_STOP) {
            pool[0]++;
        }
    }

    /** Lets the server socket's ACK wait for the client's bytes until {@link #WAIT_NANOS} from now. */
    void await(DirectFlow.Side server, IoEventLoop loop) {
        if (tail == waiting.length) {
            int live = tail - head;
            if (live < waiting.length / 2) { // compact before growing
                System.arraycopy(waiting, head, waiting, 0, live);
                System.arraycopy(deadlines, head, deadlines, 0, live);
                Arrays.fill(waiting, live, tail, null);
            } else {
                waiting = Arrays.copyOfRange(waiting, head, head + waiting.length * 2);
                deadlines = Arrays.copyOfRange(deadlines, head, head + deadlines.length * 2);
            }
            head = 0;
            tail = live;
        }
        waiting[tail] = server;
        deadlines[tail++] = System.nanoTime() + WAIT_NANOS;
        if (!scheduled) {
            this.loop = loop;
            schedule(WAIT_NANOS);
        }
    }

    private void schedule(long nanos) {
        try {
            loop.schedule(this, nanos, TimeUnit.NANOSECONDS);
            scheduled = true;
        } catch (RejectedExecutionException e) {
            scheduled = false; // the loop is shutting down and closes its sockets
        }
    }

    /** Ends the waits that are over; runs again when the next one is. */
    @Override
    public void run() {
        long now = System.nanoTime();
        while (head < tail && deadlines[head] - now <= 0) {
            DirectFlow.Side server = waiting[head];
            waiting[head++] = null;
            server.ackWaitEnded(this);
        }
        if (head == tail) {
            head = 0;
            tail = 0;
            scheduled = false;
        } else {
            schedule(deadlines[head] - now);
        }
    }

    /** ACKs this loop has sent on their own after the wait, for tests. */
    long sentAlone() {
        return sentAlone;
    }

    private static Object key(Upstream server) {
        return server.pool() != null ? server.pool() : server.address();
    }
}
