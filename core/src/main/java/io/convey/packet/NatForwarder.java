package io.convey.packet;

import java.util.List;

/**
 * The passthrough (NAT) decision for one frame: parse and validate, find or open the flow, rewrite in place and
 * say where the result goes. Client segments to VIP:port leave as VIP:ephemeral-port to the flow's server; server
 * replies leave as VIP:port to the client. I/O-free, so it is tested with tables of frames; one per worker,
 * single-threaded, and it allocates nothing per frame.
 */
final class NatForwarder {
    private final FlowTable flows;
    private final WorkerCounters counters;
    private final boolean verifyTcpChecksum;
    private final TcpFrame p = new TcpFrame();
    private int[] frontendIp = new int[0];
    private int[] frontendPort = new int[0];
    private FlowScheduler[] frontendScheduler = new FlowScheduler[0];
    private int outOffset;
    private int outLength;
    private int outDestination;

    NatForwarder(FlowTable flows, WorkerCounters counters, boolean verifyTcpChecksum) {
        this.flows = flows;
        this.counters = counters;
        this.verifyTcpChecksum = verifyTcpChecksum;
    }

    /** Replaces the frontends; existing flows keep their server and scheduler until they end. */
    void configure(List<PassthroughFrontend> frontends) {
        int n = frontends.size();
        int[] ips = new int[n];
        int[] ports = new int[n];
        FlowScheduler[] schedulers = new FlowScheduler[n];
        for (int i = 0; i < n; i++) {
            ips[i] = frontends.get(i).vipInt();
            ports[i] = frontends.get(i).port();
            schedulers[i] = frontends.get(i).scheduler();
        }
        frontendIp = ips;
        frontendPort = ports;
        frontendScheduler = schedulers;
    }

    /** Processes the frame in place; if the verdict sends, the packet is described by the {@code output*} methods. */
    Verdict process(byte[] frame, int length, long now) {
        DropReason bad = p.parse(frame, length, verifyTcpChecksum);
        if (bad != null) {
            return drop(bad);
        }
        for (int i = 0; i < frontendIp.length; i++) {
            if (frontendIp[i] == p.dstIp && frontendPort[i] == p.dstPort) {
                return fromClient(frame, frontendScheduler[i], now);
            }
        }
        return fromServer(frame, now);
    }

    private Verdict fromClient(byte[] frame, FlowScheduler scheduler, long now) {
        int f = flows.find(p.srcIp, p.srcPort, p.dstIp, p.dstPort);
        if (f >= 0 && p.isInitialSyn() && flows.closed(f)) {
            flows.remove(f); // a new connection reusing the client port of a finished one
            f = -1;
        }
        if (f >= 0 && !flows.scheduler(f).isUp(flows.server(f))) {
            flows.remove(f);
            return p.has(TcpFrame.RST) ? drop(DropReason.NO_FLOW) : resetClient(frame);
        }
        if (f < 0) {
            if (p.has(TcpFrame.RST)) {
                return drop(DropReason.NO_FLOW);
            }
            ServerRef server = p.isInitialSyn() ? scheduler.pick(p.srcIp, p.srcPort) : null;
            if (server == null) {
                return resetClient(frame); // no server, or mid-stream without a flow: fail fast like a host would
            }
            f = flows.open(p.srcIp, p.srcPort, p.dstIp, p.dstPort, server, scheduler, now);
            if (f < 0) {
                return drop(DropReason.TABLE_FULL);
            }
        }
        ServerRef server = flows.server(f);
        if (!NatRewriter.translate(frame, p, p.dstIp, flows.port(f), server.ip(), server.port())) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        flows.clientSegment(f, p, now);
        counters.add(WorkerCounters.PACKETS_TO_SERVERS, 1);
        counters.add(WorkerCounters.BYTES_TO_SERVERS, p.payloadLength);
        return output(Verdict.FORWARD_TO_SERVER, p.ipOffset, p.ipTotalLength, server.ip());
    }

    private Verdict fromServer(byte[] frame, long now) {
        int f = flows.findByPort(p.dstPort);
        if (f < 0 || flows.vip(f) != p.dstIp) {
            return drop(DropReason.NO_FLOW);
        }
        ServerRef server = flows.server(f);
        if (server.ip() != p.srcIp || server.port() != p.srcPort) {
            return drop(DropReason.NO_FLOW); // only the server the flow was sent to may answer
        }
        int clientIp = flows.clientIp(f);
        if (!NatRewriter.translate(frame, p, p.dstIp, flows.vipPort(f), clientIp, flows.clientPort(f))) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        flows.serverSegment(f, p, now);
        counters.add(WorkerCounters.PACKETS_TO_CLIENTS, 1);
        counters.add(WorkerCounters.BYTES_TO_CLIENTS, p.payloadLength);
        return output(Verdict.FORWARD_TO_CLIENT, p.ipOffset, p.ipTotalLength, clientIp);
    }

    /**
     * Writes at offset 14 of {@code frame} the reset a client gets when its flow's server went down while the flow
     * was open. Its sequence number is where the server left off, the client's RCV.NXT (RFC 5961 section 3 accepts
     * exactly that).
     *
     * @return false if no server segment was seen or the flow already ended, so there is nothing to reset
     */
    boolean resetForServerDown(int f, byte[] frame) {
        if (!flows.serverSeqKnown(f) || flows.closed(f)) {
            return false;
        }
        int length = NatRewriter.writeReset(frame, TcpFrame.ETHERNET_HEADER, flows.vip(f), flows.vipPort(f),
                flows.clientIp(f), flows.clientPort(f), flows.serverSeqNext(f), 0, TcpFrame.RST);
        counters.add(WorkerCounters.RESETS_SENT, 1);
        output(Verdict.RST_TO_CLIENT, TcpFrame.ETHERNET_HEADER, length, flows.clientIp(f));
        return true;
    }

    private Verdict resetClient(byte[] frame) {
        int client = p.srcIp;
        int length = NatRewriter.resetInReplyTo(frame, p, p.dstIp, p.dstPort);
        counters.add(WorkerCounters.RESETS_SENT, 1);
        return output(Verdict.RST_TO_CLIENT, p.ipOffset, length, client);
    }

    private Verdict drop(DropReason reason) {
        counters.drop(reason);
        return Verdict.drop(reason);
    }

    private Verdict output(Verdict verdict, int offset, int length, int destination) {
        outOffset = offset;
        outLength = length;
        outDestination = destination;
        return verdict;
    }

    /** Offset of the IP packet to send. */
    int outputOffset() {
        return outOffset;
    }

    /** Length of the IP packet to send: the IP total length, so Ethernet padding is not sent. */
    int outputLength() {
        return outLength;
    }

    /** IPv4 address (int) to send the packet to. */
    int outputDestination() {
        return outDestination;
    }
}
