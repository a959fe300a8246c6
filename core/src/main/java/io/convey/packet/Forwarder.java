package io.convey.packet;

import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Admission;
import io.convey.traffic.Ending;
import io.convey.traffic.FrontendGuard;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The data-plane decision for one frame: parse and validate, find or open the flow, rewrite and say where the
 * result goes. UDP datagrams take the same paths as TCP segments, their flows keyed by the 5-tuple and ended by
 * their frontend's idle timeout; DSR ipip encapsulates them like segments. Passthrough: client segments to VIP:port leave as VIP:ephemeral-port to the flow's server, server
 * replies leave as VIP:port to the client. Direct server return: only client segments arrive; they leave by the
 * frontend's {@link Delivery} method and the servers answer the clients themselves. I/O-free, so it is tested with
 * tables of frames; one per worker, single-threaded, and it allocates nothing per frame. A passthrough frontend
 * with a source address of the appliance's own ({@link PassthroughFrontend#source}) sends as source:ephemeral-port
 * instead, and its replies, addressed to that source, leave as VIP:port. IPv6 takes the same path
 * with its addresses as int ids ({@link Ipv6} for VIPs and servers, the flow table's {@link ClientIds} for
 * clients); only the rewrites differ by family. DSR l2 and ipip frontends are IPv4-only ({@link PassthroughFrontend}).
 */
final class Forwarder {
    private final FlowTable flows;
    private final WorkerCounters counters;
    private final boolean verifyTcpChecksum;
    private final Neighbours neighbours;
    private final ClientIds clients;
    private final TcpFrame p = new TcpFrame();
    private final byte[] tunnel = new byte[0xFFFF];
    private final FrameOffload plain = new FrameOffload();
    private FrameOffload inOffload = plain;
    private FrameOffload outOffload = plain;
    private int outTunnelTo;
    private int[] frontendIp = new int[0];
    private int[] frontendPort = new int[0];
    private int[] frontendSource = new int[0];
    private int[] frontendProtocol = new int[0];
    private long[] frontendUdpIdle = new long[0];
    private FlowScheduler[] frontendScheduler = new FlowScheduler[0];
    private Delivery[] frontendDelivery = new Delivery[0];
    private FrontendGuard[] frontendGuard = new FrontendGuard[0];
    private AccessSink[] frontendLog = new AccessSink[0];
    private byte[] inFrame;
    private byte[] outBuffer;
    private int outOffset;
    private int outLength;
    private int outDestination;

    Forwarder(FlowTable flows, WorkerCounters counters, boolean verifyTcpChecksum, Neighbours neighbours) {
        this.flows = flows;
        this.counters = counters;
        this.verifyTcpChecksum = verifyTcpChecksum;
        this.neighbours = neighbours;
        this.clients = flows.clients();
    }

    /** Replaces the frontends; existing flows keep their server and scheduler until they end. */
    void configure(List<PassthroughFrontend> frontends) {
        int n = frontends.size();
        int[] ips = new int[n];
        int[] ports = new int[n];
        int[] sources = new int[n];
        int[] protocols = new int[n];
        long[] udpIdle = new long[n];
        FlowScheduler[] schedulers = new FlowScheduler[n];
        Delivery[] deliveries = new Delivery[n];
        FrontendGuard[] guards = new FrontendGuard[n];
        AccessSink[] logs = new AccessSink[n];
        for (int i = 0; i < n; i++) {
            guards[i] = frontends.get(i).guard();
            logs[i] = frontends.get(i).accessLog();
            ips[i] = frontends.get(i).vipInt();
            ports[i] = frontends.get(i).port();
            sources[i] = frontends.get(i).sourceInt();
            protocols[i] = frontends.get(i).transport().protocol();
            udpIdle[i] = frontends.get(i).transport().udpIdleTimeout().toNanos();
            schedulers[i] = frontends.get(i).scheduler();
            deliveries[i] = frontends.get(i).delivery();
        }
        frontendIp = ips;
        frontendPort = ports;
        frontendSource = sources;
        frontendProtocol = protocols;
        frontendUdpIdle = udpIdle;
        frontendScheduler = schedulers;
        frontendDelivery = deliveries;
        frontendGuard = guards;
        frontendLog = logs;
    }

    /** Processes a plain frame (complete checksum, not a super-frame); see {@link #process(byte[], int, FrameOffload, long)}. */
    Verdict process(byte[] frame, int length, long now) {
        return process(frame, length, plain.clear(), now);
    }

    /**
     * Processes the frame in place; if the verdict sends, the packet is described by the {@code output*} methods. A
     * super-frame ({@link FrameOffload#isSuperFrame}) is rewritten once, as one packet: its flow sees its whole
     * payload, and it leaves whole or is segmented by the sender ({@link #outputOffload}).
     */
    Verdict process(byte[] frame, int length, FrameOffload offload, long now) {
        inFrame = frame;
        inOffload = offload;
        outTunnelTo = 0;
        p.partialChecksum = offload.partialChecksum;
        DropReason bad = p.parse(frame, length, verifyTcpChecksum);
        if (bad != null) {
            if ((bad == DropReason.MALFORMED || bad == DropReason.BAD_CHECKSUM) && TcpFrame.isUdp(frame, length)) {
                counters.add(WorkerCounters.UDP_DROPPED_MALFORMED, 1);
            }
            return drop(bad);
        }
        if (!offloadFits(offload)) {
            return drop(DropReason.MALFORMED);
        }
        if (p.ipv6) {
            p.dstIp = Ipv6.find(p.dstHigh, p.dstLow);
            if (p.dstIp == 0) {
                return drop(DropReason.NO_FLOW); // not a VIP: let through by a filter from before a reload
            }
        }
        int protocol = p.protocol();
        for (int i = 0; i < frontendIp.length; i++) {
            if (frontendIp[i] == p.dstIp && frontendPort[i] == p.dstPort && frontendProtocol[i] == protocol) {
                if (p.ipv6) {
                    p.srcIp = clients.find(p.srcHigh, p.srcLow); // 0 until the client has a flow
                }
                return p.udp ? datagramFromClient(frame, i, now) : fromClient(frame, i, now);
            }
        }
        if (p.ipv6) {
            p.srcIp = Ipv6.find(p.srcHigh, p.srcLow); // 0 (no flow) unless a server's
        }
        return fromServer(frame, now);
    }

    /**
     * A partial checksum must be the transport's (TCP's field at 16, UDP's at 6), and a super-frame's GSO type must
     * name the frame's family and TCP (UDP segmentation offload is not taken).
     */
    private boolean offloadFits(FrameOffload offload) {
        if (offload.partialChecksum && (offload.csumStart != p.tcpOffset || offload.csumOffset != (p.udp ? 6 : 16))) {
            return false;
        }
        int gso = offload.gsoType & ~FrameOffload.GSO_ECN;
        return gso == FrameOffload.GSO_NONE
                || !p.udp && gso == (p.ipv6 ? FrameOffload.GSO_TCPV6 : FrameOffload.GSO_TCPV4);
    }

    /**
     * A UDP datagram to frontend {@code i}: its flow (the 5-tuple) or a new one to the scheduler's pick; a flow whose
     * server went down is dropped and the datagram picks again (there is no connection to reset). Without a server
     * the datagram is dropped.
     */
    private Verdict datagramFromClient(byte[] frame, int i, long now) {
        int f = flows.find(p.srcIp, p.srcPort, p.dstIp, p.dstPort, TcpFrame.PROTOCOL_UDP);
        if (f >= 0 && !flows.scheduler(f).isUp(flows.server(f)) && !flows.scheduler(f).keepsFlowsOf(flows.server(f))) {
            flows.remove(f);
            f = -1;
        }
        Delivery delivery = frontendDelivery[i];
        if (f < 0) {
            Verdict refused = admit(i, true, now);
            if (refused != null) {
                return refused;
            }
            ServerRef server = pick(frontendScheduler[i]);
            if (server == null) {
                return drop(DropReason.NO_FLOW);
            }
            f = open(server, frontendScheduler[i], delivery, frontendSource[i], TcpFrame.PROTOCOL_UDP,
                    frontendUdpIdle[i], frontendLog[i], now);
            if (f < 0) {
                return drop(DropReason.TABLE_FULL);
            }
            counters.add(WorkerCounters.UDP_FLOWS_OPENED, 1);
        }
        return delivery.isDsr() ? direct(frame, f, delivery, now) : translated(frame, f, now);
    }

    private Verdict fromClient(byte[] frame, int frontend, long now) {
        FlowScheduler scheduler = frontendScheduler[frontend];
        Delivery delivery = frontendDelivery[frontend];
        int f = flows.find(p.srcIp, p.srcPort, p.dstIp, p.dstPort);
        if (f >= 0 && p.isInitialSyn() && flows.closed(f)) {
            flows.remove(f); // a new connection reusing the client port of a finished one
            f = -1;
        }
        if (f >= 0 && !flows.scheduler(f).isUp(flows.server(f)) && !flows.scheduler(f).keepsFlowsOf(flows.server(f))) {
            flows.remove(f, Ending.SERVER_DOWN);
            return p.has(TcpFrame.RST) ? drop(DropReason.NO_FLOW) : resetClient(frame);
        }
        if (f < 0) {
            if (p.has(TcpFrame.RST) && !delivery.isDsr()) {
                return drop(DropReason.NO_FLOW);
            }
            Verdict refused = admit(frontend, p.isInitialSyn(), now);
            if (refused != null) {
                return refused;
            }
            // DSR sees no replies, so a flow can be gone (evicted, or expired after the client's FIN) while its
            // connection lives on: any segment picks again, and the consistent hash (Maglev) gives the same
            // server as long as the set of servers is unchanged.
            ServerRef server = p.isInitialSyn() || delivery.isDsr() ? pick(scheduler) : null;
            if (server == null) {
                // no server, or mid-stream without a flow: fail fast like a host would
                return p.has(TcpFrame.RST) ? drop(DropReason.NO_FLOW) : resetClient(frame);
            }
            f = open(server, scheduler, delivery, frontendSource[frontend], frontendLog[frontend], now);
            if (f < 0) {
                return drop(DropReason.TABLE_FULL);
            }
        }
        return delivery.isDsr() ? direct(frame, f, delivery, now) : translated(frame, f, now);
    }

    /**
     * The frontend's guard (allow/deny, rate limit) on a packet that would open a flow: null when admitted, else the
     * drop. {@code first} is a flow's first packet (a TCP SYN, any UDP datagram without a flow): only those count
     * against the rate limit and get an access-log entry when refused.
     */
    private Verdict admit(int frontend, boolean first, long now) {
        FrontendGuard guard = frontendGuard[frontend];
        if (guard.isOpen()) {
            return null;
        }
        Admission admission = p.ipv6 ? guard.admitV6(p.srcHigh, p.srcLow, first, now)
                : guard.admitV4(p.srcIp, first, now);
        return admission == Admission.ADMITTED ? null : refuse(admission, frontend, first);
    }

    /** IPv6 clients are picked by their address, not by their worker-local id, so every worker picks alike. */
    private ServerRef pick(FlowScheduler scheduler) {
        return p.ipv6 ? scheduler.pick(p.srcHigh, p.srcLow, p.srcPort) : scheduler.pick(p.srcIp, p.srcPort);
    }

    /**
     * Drops a first packet the frontend's guard refused; the access log gets an entry for a refused SYN (not for
     * every later segment or retransmission of a refused client, which the kernel's SYN backoff spaces out).
     */
    private Verdict refuse(Admission admission, int frontend, boolean first) {
        AccessSink log = frontendLog[frontend];
        if (log.enabled() && first) {
            InetSocketAddress client = new InetSocketAddress(p.ipv6 ? Ipv6.toAddress(p.srcHigh, p.srcLow)
                    : Ipv4.toAddress(p.srcIp), p.srcPort);
            log.log(new AccessEntry(System.currentTimeMillis(), client, null, null, null, null, 0, 0, 0, 0, 0,
                    admission == Admission.RATE_LIMITED ? Ending.RATE_LIMITED : Ending.REFUSED_BY_ACL));
        }
        return drop(admission == Admission.RATE_LIMITED ? DropReason.RATE_LIMITED : DropReason.REFUSED_BY_ACL);
    }

    private int open(ServerRef server, FlowScheduler scheduler, Delivery delivery, int source, AccessSink log,
                     long now) {
        return open(server, scheduler, delivery, source, TcpFrame.PROTOCOL_TCP, 0, log, now);
    }

    private int open(ServerRef server, FlowScheduler scheduler, Delivery delivery, int source, int protocol,
                     long udpIdle, AccessSink log, long now) {
        if (p.ipv6) {
            p.srcIp = clients.acquire(p.srcHigh, p.srcLow);
            if (p.srcIp == 0) {
                return -1;
            }
        }
        int f = flows.open(p.srcIp, p.srcPort, p.dstIp, p.dstPort, protocol, udpIdle, source, server, scheduler,
                !delivery.isDsr(), now);
        if (f >= 0) {
            flows.logTo(f, log);
        }
        if (f < 0 && p.ipv6) {
            clients.release(p.srcIp);
        }
        return f;
    }

    /** Translates addresses and ports by the frame's family; false if the TTL or hop limit ran out. */
    private boolean rewrite(byte[] frame, int srcIp, int srcPort, int dstIp, int dstPort) {
        if (!p.ipv6) {
            return NatRewriter.translate(frame, p, srcIp, srcPort, dstIp, dstPort);
        }
        return NatRewriter.translateIpv6(frame, p, high(srcIp), low(srcIp), srcPort, high(dstIp), low(dstIp), dstPort);
    }

    private long high(int id) {
        return ClientIds.isClientId(id) ? clients.high(id) : Ipv6.high(id);
    }

    private long low(int id) {
        return ClientIds.isClientId(id) ? clients.low(id) : Ipv6.low(id);
    }

    private Verdict translated(byte[] frame, int f, long now) {
        ServerRef server = flows.server(f);
        if (!rewrite(frame, flows.source(f), flows.port(f), server.ip(), server.port())) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        if (p.udp) {
            countDatagramToServer(f, now);
        } else {
            flows.clientSegment(f, p, now);
            countToServer();
        }
        return output(Verdict.FORWARD_TO_SERVER, frame, p.ipOffset, p.ipTotalLength, server.ip());
    }

    private Verdict direct(byte[] frame, int f, Delivery delivery, long now) {
        ServerRef server = flows.server(f);
        Verdict verdict = switch (delivery) {
            case DSR_NAT -> rewrite(frame, p.srcIp, p.srcPort, server.ip(), server.port())
                    ? output(Verdict.FORWARD_TO_SERVER, frame, p.ipOffset, p.ipTotalLength, server.ip())
                    : drop(DropReason.TTL_EXCEEDED);
            case DSR_L2 -> readdressed(frame, server);
            case DSR_IPIP -> encapsulated(frame, server);
            case PASSTHROUGH -> throw new IllegalArgumentException("delivery: passthrough (expected: a DSR method)");
        };
        if (verdict.sends() && p.udp) {
            countDatagramToServer(f, now);
        } else if (verdict.sends()) {
            flows.clientSegmentOnly(f, p, now);
            countToServer();
        }
        return verdict;
    }

    private Verdict readdressed(byte[] frame, ServerRef server) {
        long mac = neighbours.mac(server.ip());
        if (mac == Neighbours.UNKNOWN) {
            return drop(DropReason.NO_NEIGHBOUR); // the client retransmits once the worker has resolved it
        }
        DsrRewriter.readdress(frame, mac);
        return output(Verdict.FORWARD_FRAME_TO_SERVER, frame, 0, p.ipOffset + p.ipTotalLength, server.ip());
    }

    /**
     * IP-in-IP has no segmentation offload through a raw socket: a super-frame is handed on unencapsulated, with
     * {@link #outputTunnelTo} naming the server, for the sender to segment and encapsulate each segment.
     */
    private Verdict encapsulated(byte[] frame, ServerRef server) {
        if (inOffload.isSuperFrame()) {
            Verdict verdict = output(Verdict.FORWARD_TO_SERVER, frame, p.ipOffset, p.ipTotalLength, server.ip());
            outTunnelTo = server.ip();
            return verdict;
        }
        if (p.partialChecksum) {
            Checksums.completeTcpAt(frame, p.ipOffset, p.ipTotalLength); // the outer header hides it from offload
        }
        int length = DsrRewriter.encapsulate(frame, p, server.ip(), tunnel);
        if (length < 0) {
            return drop(DropReason.TOO_BIG);
        }
        Verdict verdict = output(Verdict.FORWARD_TO_SERVER, tunnel, 0, length, server.ip());
        outOffload = plain.clear();
        return verdict;
    }

    private void countDatagramToServer(int f, long now) {
        flows.datagram(f, now);
        counters.add(WorkerCounters.UDP_DATAGRAMS_TO_SERVERS, 1);
        counters.add(WorkerCounters.UDP_BYTES_TO_SERVERS, p.payloadLength);
    }

    private void countToServer() {
        counters.add(WorkerCounters.PACKETS_TO_SERVERS, 1);
        counters.add(WorkerCounters.BYTES_TO_SERVERS, p.payloadLength);
    }

    private Verdict fromServer(byte[] frame, long now) {
        // only the server the flow was sent to may answer, to the address the flow left from
        int f = flows.findByPort(p.srcIp, p.srcPort, p.dstPort, p.protocol());
        if (f < 0 || flows.source(f) != p.dstIp) {
            return drop(DropReason.NO_FLOW);
        }
        int clientIp = flows.clientIp(f);
        if (!rewrite(frame, flows.vip(f), flows.vipPort(f), clientIp, flows.clientPort(f))) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        if (p.udp) {
            flows.datagram(f, now);
            counters.add(WorkerCounters.UDP_DATAGRAMS_TO_CLIENTS, 1);
            counters.add(WorkerCounters.UDP_BYTES_TO_CLIENTS, p.payloadLength);
        } else {
            flows.serverSegment(f, p, now);
            counters.add(WorkerCounters.PACKETS_TO_CLIENTS, 1);
            counters.add(WorkerCounters.BYTES_TO_CLIENTS, p.payloadLength);
        }
        return output(Verdict.FORWARD_TO_CLIENT, frame, p.ipOffset, p.ipTotalLength, clientIp);
    }

    /**
     * Writes at offset 14 of {@code frame} the reset a client gets when its flow's server went down while the flow
     * was open. Its sequence number is where the server left off, the client's RCV.NXT (RFC 5961 section 3 accepts
     * exactly that): known from the server's segments in passthrough, from the client's last acknowledgement in
     * DSR (if the client holds unacknowledged data, it answers with a challenge ACK, which then gets the exact
     * reset from {@link #process}).
     *
     * @return false if no server segment was seen or the flow already ended, so there is nothing to reset
     */
    boolean resetForServerDown(int f, byte[] frame) {
        if (flows.isUdp(f) || !flows.serverSeqKnown(f) || flows.closed(f)) {
            return false;
        }
        int vip = flows.vip(f);
        int client = flows.clientIp(f);
        int length = Ipv6.isId(vip)
                ? NatRewriter.writeResetIpv6(frame, TcpFrame.ETHERNET_HEADER, high(vip), low(vip), flows.vipPort(f),
                        high(client), low(client), flows.clientPort(f), flows.serverSeqNext(f), 0, TcpFrame.RST)
                : NatRewriter.writeReset(frame, TcpFrame.ETHERNET_HEADER, vip, flows.vipPort(f), client,
                        flows.clientPort(f), flows.serverSeqNext(f), 0, TcpFrame.RST);
        counters.add(WorkerCounters.RESETS_SENT, 1);
        output(Verdict.RST_TO_CLIENT, frame, TcpFrame.ETHERNET_HEADER, length, flows.clientIp(f));
        outOffload = plain.clear();
        outTunnelTo = 0;
        return true;
    }

    private Verdict resetClient(byte[] frame) {
        int client = p.srcIp;
        int length = NatRewriter.resetInReplyTo(frame, p, p.dstIp, p.dstPort);
        counters.add(WorkerCounters.RESETS_SENT, 1);
        Verdict verdict = output(Verdict.RST_TO_CLIENT, frame, p.ipOffset, length, client);
        outOffload = plain.clear();
        return verdict;
    }

    private Verdict drop(DropReason reason) {
        counters.drop(reason);
        return Verdict.drop(reason);
    }

    private Verdict output(Verdict verdict, byte[] buffer, int offset, int length, int destination) {
        outBuffer = buffer;
        outOffset = offset;
        outLength = length;
        outDestination = destination;
        outOffload = inOffload;
        return verdict;
    }

    /**
     * What the sender must know about the output beside its bytes: a super-frame to be sent whole with its GSO
     * type and size, or segmented; a partial checksum to be completed where no device does it.
     */
    FrameOffload outputOffload() {
        return outOffload;
    }

    /** DSR ipip, a super-frame: the server each segment is encapsulated to; 0 otherwise. */
    int outputTunnelTo() {
        return outTunnelTo;
    }

    /**
     * True if the IP packet to send follows the Ethernet header of the frame it was rewritten from, which was
     * addressed to this host: it can then leave as a frame, readdressed to the next hop ({@link DsrRewriter#readdress}).
     */
    boolean outputFollowsFrameHeader() {
        return outBuffer == inFrame && outOffset == TcpFrame.ETHERNET_HEADER;
    }

    /** The array holding the packet to send: the frame itself, or the tunnel buffer for DSR ipip. */
    byte[] outputBuffer() {
        return outBuffer;
    }

    /** Offset of the IP packet to send (of the Ethernet frame for {@link Verdict#FORWARD_FRAME_TO_SERVER}). */
    int outputOffset() {
        return outOffset;
    }

    /** Length of the packet (or frame) to send: up to the IP total length, so Ethernet padding is not sent. */
    int outputLength() {
        return outLength;
    }

    /** Address (int: IPv4, or an IPv6 id, 0 for a client without a flow) to send the packet to. */
    int outputDestination() {
        return outDestination;
    }

    /** True if the packet to send is a UDP datagram (never a super-frame: it is sent as it is). */
    boolean outputIsUdp() {
        return (outputIsIpv6() ? outBuffer[outOffset + 6] : outBuffer[outOffset + 9]) == TcpFrame.PROTOCOL_UDP;
    }

    /** True if the packet to send is IPv6 (its destination is then the one in its header). */
    boolean outputIsIpv6() {
        return (outBuffer[outOffset] & 0xF0) == 0x60;
    }
}
