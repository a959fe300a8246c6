package io.convey.packet;

import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Ending;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The flows of one worker: client (address, port, VIP, VIP port, protocol: the 5-tuple) to server and, in
 * passthrough, ephemeral port, with TCP state and per-state idle timeouts (UDP flows: their frontend's idle timeout), a hard capacity with least-recently-used eviction, and a reverse index
 * by server and ephemeral port (ports overlap across servers, see {@link ServerPorts}). Addresses are ints: IPv4
 * addresses, or ids of IPv6 ones ({@link Ipv6}); a flow holds a reference on its IPv6 client's id in
 * {@link #clients()} and drops it when it goes.
 * Preallocated parallel arrays, an open-addressing index and an intrusive LRU list: no allocation after
 * construction. Single-threaded: only its worker touches it; the counters are its only shared state.
 */
final class FlowTable {
    private static final int ESTABLISHED = 1;
    private static final int CLIENT_FIN = 2;
    private static final int SERVER_FIN = 4;
    private static final int RESET = 8;
    private static final int SEQ_KNOWN = 16;
    /** The client's FIN or RST came before any from the server (for the access log's ending). */
    private static final int CLIENT_ENDED_FIRST = 32;
    /** The server's FIN or RST came before any from the client. */
    private static final int SERVER_ENDED_FIRST = 64;
    private static final int NONE = -1;
    /** Longs per flow in {@link #activity}, and where each value is among them. */
    private static final int ACTIVITY = 4;
    private static final int LAST_SEEN = 0;
    private static final int OPENED_AT = 1;
    private static final int BYTES_FROM_CLIENT = 2;
    private static final int BYTES_FROM_SERVER = 3;

    private final int capacity;
    private final long handshakeNanos;
    private final long establishedNanos;
    private final long closingNanos;
    private final long timeWaitNanos;
    private final ServerPorts ports;
    private final WorkerCounters counters;
    private final ClientIds clients;

    private final int[] clientIp;
    private final int[] clientPort;
    private final int[] vip;
    private final int[] vipPort;
    /** The address a passthrough flow leaves from towards its server: its VIP, or the appliance's own. */
    private final int[] source;
    private final int[] port;
    /** The IP protocol of each flow (TCP or UDP): part of the key, with the client's and the VIP's address and port. */
    private final byte[] protocol;
    /** A UDP flow's idle timeout (its frontend's); 0 for TCP, whose timeout follows its state. */
    private final long[] udpIdleNanos;
    private final int[] serverSeqNext;
    private final ServerRef[] server;
    private final FlowScheduler[] scheduler;
    private final byte[] state;
    /**
     * Per flow, side by side ({@link #ACTIVITY} longs): when it was last seen, and for the access log when it opened
     * (nanoTime) and its payload bytes each way. Side by side because they are read together: a segment updates its
     * last-seen time and byte count, the sweep reads the last-seen time of a flow it ends and its entry the rest,
     * one cache line per flow instead of one per field (the entry's fields cost three cache misses apart, measured
     * as a third of a microsecond per flow in passthrough).
     */
    private final long[] activity;
    /** Where each flow's access-log entry goes. */
    private final AccessSink[] log;
    private final int[] older;
    private final int[] newer;
    private final int[] index;
    private final int mask;
    /** Head of the chain of flows using each ephemeral port (one per server at most), linked by samePort. */
    private final int[] byPort = new int[65536];
    private final int[] samePort;
    private int oldest = NONE;
    private int newest = NONE;
    private int free;
    private int size;

    FlowTable(int capacity, FlowTimeouts timeouts, ServerPorts ports, WorkerCounters counters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.handshakeNanos = timeouts.handshake().toNanos();
        this.establishedNanos = timeouts.established().toNanos();
        this.closingNanos = timeouts.closing().toNanos();
        this.timeWaitNanos = timeouts.timeWait().toNanos();
        this.ports = ports;
        this.counters = counters;
        // one id per flow at most, and one the forwarder holds while it opens a flow that may evict another
        this.clients = new ClientIds(capacity + 1);
        clientIp = new int[capacity];
        clientPort = new int[capacity];
        vip = new int[capacity];
        vipPort = new int[capacity];
        source = new int[capacity];
        port = new int[capacity];
        samePort = new int[capacity];
        protocol = new byte[capacity];
        udpIdleNanos = new long[capacity];
        serverSeqNext = new int[capacity];
        server = new ServerRef[capacity];
        scheduler = new FlowScheduler[capacity];
        state = new byte[capacity];
        activity = new long[Math.multiplyExact(capacity, ACTIVITY)];
        log = new AccessSink[capacity];
        older = new int[capacity];
        newer = new int[capacity];
        index = new int[Integer.highestOneBit(capacity * 2 - 1) << 1];
        mask = index.length - 1;
        Arrays.fill(byPort, NONE);
        for (int f = 0; f < capacity; f++) {
            newer[f] = f + 1 < capacity ? f + 1 : NONE; // the free list reuses the "newer" links
        }
    }

    /** Returns the TCP flow of this client connection to this frontend, or -1. */
    int find(int cIp, int cPort, int vIp, int vPort) {
        return find(cIp, cPort, vIp, vPort, TcpFrame.PROTOCOL_TCP);
    }

    /** Returns the flow of this client address and port to this frontend over this protocol (the 5-tuple), or -1. */
    int find(int cIp, int cPort, int vIp, int vPort, int proto) {
        for (int slot = home(cIp, cPort, vIp, vPort, proto); ; slot = (slot + 1) & mask) {
            int f = index[slot] - 1;
            if (f == NONE) {
                return NONE;
            }
            if (clientIp[f] == cIp && clientPort[f] == cPort && vip[f] == vIp && vipPort[f] == vPort
                    && protocol[f] == (byte) proto) {
                return f;
            }
        }
    }

    /** Returns the TCP flow to this server that owns an ephemeral port, or -1. */
    int findByPort(int serverIp, int serverPort, int ephemeralPort) {
        return findByPort(serverIp, serverPort, ephemeralPort, TcpFrame.PROTOCOL_TCP);
    }

    /** Returns the flow over {@code proto} to this server that owns an ephemeral port, or -1. */
    int findByPort(int serverIp, int serverPort, int ephemeralPort, int proto) {
        int f = byPort[ephemeralPort];
        while (f != NONE && (server[f].ip() != serverIp || server[f].port() != serverPort
                || protocol[f] != (byte) proto)) {
            f = samePort[f];
        }
        return f;
    }

    /**
     * Opens a flow, evicting the least recently used one if the table is full. The flow keeps asking
     * {@code pickedBy} whether its server is still up. Direct-server-return flows take no ephemeral port
     * ({@link #port} is then 0). An IPv6 client's id must come from {@link ClientIds#acquire} on {@link #clients()}:
     * the flow takes that reference over; if no flow opens, the caller still holds it.
     *
     * @return the flow, or -1 if no ephemeral port is free
     */
    int open(int cIp, int cPort, int vIp, int vPort, ServerRef target, FlowScheduler pickedBy, boolean withPort,
             long now) {
        return open(cIp, cPort, vIp, vPort, vIp, target, pickedBy, withPort, now);
    }

    /**
     * Opens a flow that leaves from {@code src} towards its server (passthrough with the appliance's own address);
     * see {@link #open(int, int, int, int, ServerRef, FlowScheduler, boolean, long)}.
     */
    int open(int cIp, int cPort, int vIp, int vPort, int src, ServerRef target, FlowScheduler pickedBy,
             boolean withPort, long now) {
        return open(cIp, cPort, vIp, vPort, TcpFrame.PROTOCOL_TCP, 0, src, target, pickedBy, withPort, now);
    }

    /**
     * Opens a flow over {@code proto}; a UDP flow ends after {@code udpIdle} nanoseconds without a datagram either
     * way (TCP flows pass 0 and follow their state). Ephemeral ports are handed out per server and protocol.
     */
    int open(int cIp, int cPort, int vIp, int vPort, int proto, long udpIdle, int src, ServerRef target,
             FlowScheduler pickedBy, boolean withPort, long now) {
        if (size == capacity) {
            remove(oldest, Ending.EVICTED);
            counters.add(WorkerCounters.EVICTED, 1);
        }
        int ephemeral = withPort ? ports.allocate(target.ip(), target.port(), proto, cPort) : 0;
        if (ephemeral < 0) {
            return NONE;
        }
        int f = free;
        free = newer[f];
        clientIp[f] = cIp;
        clientPort[f] = cPort;
        vip[f] = vIp;
        vipPort[f] = vPort;
        source[f] = src;
        protocol[f] = (byte) proto;
        udpIdleNanos[f] = proto == TcpFrame.PROTOCOL_UDP ? udpIdle : 0;
        port[f] = ephemeral;
        server[f] = target;
        scheduler[f] = pickedBy;
        state[f] = 0;
        int a = f * ACTIVITY;
        activity[a + LAST_SEEN] = now;
        activity[a + OPENED_AT] = now;
        activity[a + BYTES_FROM_CLIENT] = 0;
        activity[a + BYTES_FROM_SERVER] = 0;
        log[f] = AccessSink.OFF;
        if (ephemeral != 0) {
            samePort[f] = byPort[ephemeral];
            byPort[ephemeral] = f;
        }
        int slot = home(cIp, cPort, vIp, vPort, proto);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = f + 1;
        linkNewest(f);
        size++;
        counters.add(WorkerCounters.OPENED, 1);
        counters.set(WorkerCounters.ACTIVE, size);
        return f;
    }

    /** Records a datagram of a UDP flow, either way: it only refreshes the flow. */
    void datagram(int f, long now) {
        touch(f, now);
    }

    /** Returns true for a UDP flow. */
    boolean isUdp(int f) {
        return protocol[f] == (byte) TcpFrame.PROTOCOL_UDP;
    }

    /** Sends the flow's access-log entry to {@code sink} when the flow ends. */
    void logTo(int f, AccessSink sink) {
        log[f] = sink;
    }

    /** Records a segment from the client and refreshes the flow. */
    void clientSegment(int f, TcpFrame p, long now) {
        activity[f * ACTIVITY + BYTES_FROM_CLIENT] += p.payloadLength;
        int s = clientEnds(state[f], p);
        if (p.has(TcpFrame.FIN)) {
            s |= CLIENT_FIN;
        }
        if (p.has(TcpFrame.RST)) {
            s |= RESET;
        }
        state[f] = (byte) s;
        touch(f, now);
    }

    /**
     * Records a segment from the client of a direct-server-return flow, the only direction the balancer sees (as
     * IPVS's input-only state table): its ACK establishes the flow and tells how far the server has sent, which a
     * later reset needs; its FIN or RST ends the flow, which then lives on for the time-wait timeout, refreshed by
     * every later segment, so a client still acknowledging a half-closed download keeps its server.
     */
    void clientSegmentOnly(int f, TcpFrame p, long now) {
        activity[f * ACTIVITY + BYTES_FROM_CLIENT] += p.payloadLength;
        int s = clientEnds(state[f], p);
        if (p.has(TcpFrame.ACK) && !p.has(TcpFrame.SYN)) {
            s |= ESTABLISHED;
            if ((s & SEQ_KNOWN) == 0 || p.ack - serverSeqNext[f] > 0) { // serial-number comparison (RFC 1982)
                serverSeqNext[f] = p.ack;
                s |= SEQ_KNOWN;
            }
        }
        if (p.has(TcpFrame.FIN)) {
            s |= CLIENT_FIN | SERVER_FIN; // the server's FIN is never seen
        }
        if (p.has(TcpFrame.RST)) {
            s |= RESET;
        }
        state[f] = (byte) s;
        touch(f, now);
    }

    /** Records a segment from the server, remembering how far it has sent for a later reset, and refreshes the flow. */
    void serverSegment(int f, TcpFrame p, long now) {
        activity[f * ACTIVITY + BYTES_FROM_SERVER] += p.payloadLength;
        int s = state[f];
        if ((p.has(TcpFrame.FIN) || p.has(TcpFrame.RST)) && (s & (CLIENT_ENDED_FIRST | SERVER_ENDED_FIRST)) == 0) {
            s |= SERVER_ENDED_FIRST;
        }
        if (p.has(TcpFrame.SYN) && p.has(TcpFrame.ACK)) {
            s |= ESTABLISHED;
        }
        if (p.has(TcpFrame.FIN)) {
            s |= SERVER_FIN;
        }
        if (p.has(TcpFrame.RST)) {
            s |= RESET;
        }
        int next = p.seq + p.sequenceLength();
        if ((s & SEQ_KNOWN) == 0 || next - serverSeqNext[f] > 0) { // serial-number comparison (RFC 1982)
            serverSeqNext[f] = next;
            s |= SEQ_KNOWN;
        }
        state[f] = (byte) s;
        touch(f, now);
    }

    private static int clientEnds(int s, TcpFrame p) {
        if ((p.has(TcpFrame.FIN) || p.has(TcpFrame.RST)) && (s & (CLIENT_ENDED_FIRST | SERVER_ENDED_FIRST)) == 0) {
            return s | CLIENT_ENDED_FIRST;
        }
        return s;
    }

    /** Returns true once the flow is over (both FINs or a RST) and only waits for late segments. */
    boolean closed(int f) {
        return isTimeWait(state[f]);
    }

    /**
     * Removes flows idle past their state's timeout, and flows whose server is down after handing them to
     * {@code onServerDown} (unless their scheduler keeps such flows). Called periodically by the worker, never per packet.
     */
    void sweep(long now, IntConsumer onServerDown) {
        int f = oldest;
        while (f != NONE) {
            int next = newer[f];
            long idle = now - activity[f * ACTIVITY + LAST_SEEN];
            if (idle > (udpIdleNanos[f] != 0 ? udpIdleNanos[f] : timeoutNanos(state[f]))) {
                remove(f, now);
            } else if (!scheduler[f].isUp(server[f]) && !scheduler[f].keepsFlowsOf(server[f])) {
                onServerDown.accept(f);
                remove(f, Ending.SERVER_DOWN, now);
            }
            f = next;
        }
    }

    /** Removes a flow and frees its port; its access-log entry says who ended it, or an idle timeout. */
    void remove(int f) {
        remove(f, System.nanoTime());
    }

    private void remove(int f, long now) {
        int s = state[f];
        Ending ending = (s & CLIENT_ENDED_FIRST) != 0 ? Ending.CLIENT_CLOSED
                : (s & SERVER_ENDED_FIRST) != 0 ? Ending.SERVER_CLOSED : Ending.IDLE_TIMEOUT;
        remove(f, ending, now);
    }

    /** Removes a flow for a reason of the table's or the worker's (eviction, server down). */
    void remove(int f, Ending ending) {
        remove(f, ending, System.nanoTime());
    }

    private void remove(int f, Ending ending, long now) {
        if (log[f].enabled()) {
            log[f].log(entry(f, ending, now));
        }
        log[f] = AccessSink.OFF;
        unindex(f);
        if (port[f] != 0) {
            unchainPort(f);
            ports.release(server[f].ip(), server[f].port(), protocol[f], port[f]);
        }
        if (ClientIds.isClientId(clientIp[f])) {
            clients.release(clientIp[f]);
        }
        server[f] = null;
        scheduler[f] = null;
        unlink(f);
        newer[f] = free;
        free = f;
        size--;
        counters.add(WorkerCounters.CLOSED, 1);
        counters.set(WorkerCounters.ACTIVE, size);
    }

    int size() {
        return size;
    }

    /** The flow's access-log entry; its frontend and pool are the sink's to fill. Allocates: only at a flow's end. */
    private AccessEntry entry(int f, Ending ending, long now) {
        int c = clientIp[f];
        InetAddress client = ClientIds.isClientId(c) ? Ipv6.toAddress(clients.high(c), clients.low(c))
                : Ipv4.toAddress(c);
        ServerRef s = server[f];
        InetAddress serverAddress = s.isIpv6() ? Ipv6.address(s.ip()) : Ipv4.toAddress(s.ip());
        int a = f * ACTIVITY;
        long duration = now - activity[a + OPENED_AT];
        return new AccessEntry(System.currentTimeMillis() - duration / 1_000_000, new InetSocketAddress(client,
                clientPort[f]), null, null, s.name(), new InetSocketAddress(serverAddress, s.port()),
                activity[a + BYTES_FROM_CLIENT], activity[a + BYTES_FROM_SERVER], duration, 0, 0, ending);
    }

    /** The ids of this worker's IPv6 clients. */
    ClientIds clients() {
        return clients;
    }

    int clientIp(int f) {
        return clientIp[f];
    }

    int clientPort(int f) {
        return clientPort[f];
    }

    int vip(int f) {
        return vip[f];
    }

    int vipPort(int f) {
        return vipPort[f];
    }

    int port(int f) {
        return port[f];
    }

    int source(int f) {
        return source[f];
    }

    ServerRef server(int f) {
        return server[f];
    }

    FlowScheduler scheduler(int f) {
        return scheduler[f];
    }

    /**
     * Returns true if a server segment (passthrough) or a client acknowledgement (DSR) has been seen, so
     * {@link #serverSeqNext} is the client's RCV.NXT, or in DSR its value when the client last sent.
     */
    boolean serverSeqKnown(int f) {
        return (state[f] & SEQ_KNOWN) != 0;
    }

    int serverSeqNext(int f) {
        return serverSeqNext[f];
    }

    private long timeoutNanos(int s) {
        if (isTimeWait(s)) {
            return timeWaitNanos;
        }
        if ((s & (CLIENT_FIN | SERVER_FIN)) != 0) {
            return closingNanos;
        }
        return (s & ESTABLISHED) != 0 ? establishedNanos : handshakeNanos;
    }

    private static boolean isTimeWait(int s) {
        return (s & RESET) != 0 || (s & (CLIENT_FIN | SERVER_FIN)) == (CLIENT_FIN | SERVER_FIN);
    }

    private void touch(int f, long now) {
        activity[f * ACTIVITY + LAST_SEEN] = now;
        if (f != newest) {
            unlink(f);
            linkNewest(f);
        }
    }

    private void linkNewest(int f) {
        older[f] = newest;
        newer[f] = NONE;
        if (newest != NONE) {
            newer[newest] = f;
        } else {
            oldest = f;
        }
        newest = f;
    }

    private void unlink(int f) {
        int o = older[f];
        int n = newer[f];
        if (o != NONE) {
            newer[o] = n;
        } else {
            oldest = n;
        }
        if (n != NONE) {
            older[n] = o;
        } else {
            newest = o;
        }
    }

    private int home(int cIp, int cPort, int vIp, int vPort, int proto) {
        int h = cIp * 0x9E3779B1 ^ (cPort << 16 | vPort) * 0x85EBCA6B ^ vIp * 0xC2B2AE35 ^ proto;
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        return h & mask;
    }

    private void unchainPort(int f) {
        int p = port[f];
        if (byPort[p] == f) {
            byPort[p] = samePort[f];
            return;
        }
        int g = byPort[p];
        while (samePort[g] != f) {
            g = samePort[g];
        }
        samePort[g] = samePort[f];
    }

    /** Linear-probing deletion with backward shift, so lookups need no tombstones. */
    private void unindex(int f) {
        int hole = home(clientIp[f], clientPort[f], vip[f], vipPort[f], protocol[f]);
        while (index[hole] != f + 1) {
            hole = (hole + 1) & mask;
        }
        index[hole] = 0;
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int g = index[j] - 1;
            int k = home(clientIp[g], clientPort[g], vip[g], vipPort[g], protocol[g]);
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                index[hole] = index[j];
                index[j] = 0;
                hole = j;
            }
        }
    }
}
