package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.FIN;
import static io.convey.packet.TcpFrame.RST;
import static io.convey.packet.TcpFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.namednumber.IpNumber;

/**
 * Direct server return, table-driven per method: input frames, each with its expected verdict, expected output
 * bytes (the IP packet, or the whole frame for l2) and destination.
 */
class DsrForwarderTest {
    static final String CLIENT = "192.168.1.5";
    static final String VIP = "10.0.0.10";
    static final ServerRef NAT_S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 8080);
    static final ServerRef NAT_S2 = new ServerRef("s2", FrameBuilder.ip("10.0.1.2"), 8080);
    static final ServerRef S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 80);
    static final ServerRef S2 = new ServerRef("s2", FrameBuilder.ip("10.0.1.2"), 80);
    static final long MAC_S1 = 0x02AABBCCDD01L;
    static final byte[] OUR_MAC = {2, 0, 0, 0, 0, 1}; // where FrameBuilder's frames are addressed
    static final Neighbours ONLY_S1 = ip -> ip == S1.ip() ? MAC_S1 : Neighbours.UNKNOWN;

    record Case(String name, Delivery method, List<ServerRef> servers, List<TableStep> steps) {
        @Override
        public String toString() {
            return method.id() + ": " + name;
        }
    }

    static FrameBuilder fromClient(int flags) {
        return FrameBuilder.tcp(CLIENT, 40000, VIP, 80).flags(flags);
    }

    /** nat: the destination becomes the server, the client's source stays, TTL one less. */
    static byte[] natTo(FrameBuilder sent) {
        return sent.ttl(63).ipPacket();
    }

    static FrameBuilder natOut(ServerRef s, int flags) {
        return FrameBuilder.tcp(CLIENT, 40000, Ipv4.format(s.ip()), s.port()).flags(flags);
    }

    /** l2: the whole frame to the server's MAC from ours, the IP packet untouched, padding dropped. */
    static byte[] l2Out(FrameBuilder sent) {
        byte[] f = sent.padding(0).frame();
        ByteBuffer.wrap(f).put(new byte[] {2, (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, 1}).put(OUR_MAC);
        return f;
    }

    /** ipip: a 20-byte header from 0.0.0.0 (the kernel fills in our address) to the server, then the packet as sent. */
    static byte[] ipipOut(ServerRef s, FrameBuilder sent, boolean df) {
        byte[] inner = sent.ipPacket();
        byte[] out = new byte[20 + inner.length];
        ByteBuffer.wrap(out).put((byte) 0x45).put((byte) 0).putShort((short) out.length).putShort((short) 0x1234)
                .putShort((short) (df ? 0x4000 : 0)).put((byte) 64).put((byte) 4).putShort((short) 0)
                .putInt(0).putInt(s.ip()).put(inner);
        TcpFrame.writeU16(out, 10, Checksums.ipv4Header(out, 0, 20));
        return out;
    }

    static byte[] reset(int seq, int ack, int flags) {
        return FrameBuilder.tcp(VIP, 80, CLIENT, 40000).flags(flags).seq(seq).ack(ack).ipId(0).window(0).ipPacket();
    }

    static byte[] patched(byte[] frame, int at, int value) {
        byte[] copy = frame.clone();
        copy[at] = (byte) value;
        return copy;
    }

    static Stream<Case> cases() {
        byte[] syn = fromClient(SYN).frame();
        byte[] totalTooLong = syn.clone();
        TcpFrame.writeU16(totalTooLong, 16, 200);
        List<TableStep> malformed = List.of(
                TableStep.raw(Arrays.copyOf(syn, 10), Verdict.DROP_MALFORMED),
                TableStep.raw(Arrays.copyOf(syn, 30), Verdict.DROP_MALFORMED),
                TableStep.raw(Arrays.copyOf(syn, 50), Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 14, 0x44), Verdict.DROP_MALFORMED),
                TableStep.raw(totalTooLong, Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 46, 0x40), Verdict.DROP_MALFORMED),
                TableStep.bytes(fromClient(SYN).badIpChecksum(), Verdict.DROP_BAD_CHECKSUM, null),
                TableStep.bytes(fromClient(SYN).badTcpChecksum(), Verdict.DROP_BAD_CHECKSUM, null),
                TableStep.bytes(fromClient(SYN).fragment(0x2000), Verdict.DROP_FRAGMENT, null),
                TableStep.bytes(fromClient(SYN).protocol(47), Verdict.DROP_NOT_TCP, null),
                TableStep.raw(patched(syn, 13, 0x06), Verdict.DROP_NOT_TCP));
        String big = "x".repeat(65535 - 40);
        return Stream.of(
            new Case("SYN goes to the server's address and port from the client's", Delivery.DSR_NAT, List.of(NAT_S1),
                List.of(TableStep.bytes(fromClient(SYN), Verdict.FORWARD_TO_SERVER, natTo(natOut(NAT_S1, SYN))))),
            new Case("data follows the flow; nothing is ever sent to the client", Delivery.DSR_NAT,
                List.of(NAT_S1, NAT_S2), List.of(
                TableStep.bytes(fromClient(SYN), Verdict.FORWARD_TO_SERVER, natTo(natOut(NAT_S1, SYN))),
                TableStep.bytes(fromClient(ACK).seq(1001).ack(5001).payload("GET /"), Verdict.FORWARD_TO_SERVER,
                        natTo(natOut(NAT_S1, ACK).seq(1001).ack(5001).payload("GET /"))))),
            new Case("mid-stream segment without a flow is scheduled, not reset", Delivery.DSR_NAT, List.of(NAT_S2),
                List.of(TableStep.bytes(fromClient(ACK).seq(1001).ack(5001), Verdict.FORWARD_TO_SERVER,
                        natTo(natOut(NAT_S2, ACK).seq(1001).ack(5001))))),
            new Case("no server: RST+ACK from the VIP", Delivery.DSR_NAT, List.of(), List.of(
                TableStep.bytes(fromClient(SYN).seq(1000), Verdict.RST_TO_CLIENT, reset(0, 1001, RST | ACK)))),
            new Case("server down: the client's next segment gets a RST with SEQ = its ACK", Delivery.DSR_NAT,
                List.of(NAT_S1, NAT_S2), List.of(
                TableStep.bytes(fromClient(SYN), Verdict.FORWARD_TO_SERVER, natTo(natOut(NAT_S1, SYN))),
                TableStep.bytes(fromClient(ACK).seq(1001).ack(7777), Verdict.RST_TO_CLIENT, reset(7777, 0, RST))
                    .after(s -> s.markDown(NAT_S1)),
                TableStep.bytes(fromClient(SYN).seq(3000), Verdict.FORWARD_TO_SERVER,
                        natTo(natOut(NAT_S2, SYN).seq(3000))))),
            new Case("client FIN ends the flow: a new SYN on the same port is scheduled again", Delivery.DSR_NAT,
                List.of(NAT_S1, NAT_S2), List.of(
                TableStep.bytes(fromClient(SYN), Verdict.FORWARD_TO_SERVER, natTo(natOut(NAT_S1, SYN))),
                TableStep.bytes(fromClient(FIN | ACK), Verdict.FORWARD_TO_SERVER, natTo(natOut(NAT_S1, FIN | ACK))),
                TableStep.bytes(fromClient(SYN).seq(9000), Verdict.FORWARD_TO_SERVER,
                        natTo(natOut(NAT_S2, SYN).seq(9000))))),
            new Case("TTL 1 is not forwarded", Delivery.DSR_NAT, List.of(NAT_S1), List.of(
                TableStep.bytes(fromClient(SYN).ttl(1), Verdict.DROP_TTL_EXCEEDED, null))),
            new Case("malformed frames", Delivery.DSR_NAT, List.of(NAT_S1), malformed),

            new Case("SYN leaves as the same frame to the server's MAC", Delivery.DSR_L2, List.of(S1), List.of(
                TableStep.bytes(fromClient(SYN), Verdict.FORWARD_FRAME_TO_SERVER, l2Out(fromClient(SYN))))),
            new Case("TTL and options untouched, padding not sent", Delivery.DSR_L2, List.of(S1), List.of(
                TableStep.bytes(fromClient(SYN).ttl(1).ipOptions(new byte[] {1, 1, 1, 0}).padding(6),
                        Verdict.FORWARD_FRAME_TO_SERVER,
                        l2Out(fromClient(SYN).ttl(1).ipOptions(new byte[] {1, 1, 1, 0}))))),
            new Case("unknown MAC is dropped until resolved", Delivery.DSR_L2, List.of(S2), List.of(
                TableStep.bytes(fromClient(SYN), Verdict.DROP_NO_NEIGHBOUR, null))),
            new Case("malformed frames", Delivery.DSR_L2, List.of(S1), malformed),

            new Case("SYN leaves inside IP-in-IP to the server, unchanged", Delivery.DSR_IPIP, List.of(S1), List.of(
                TableStep.bytes(fromClient(SYN), Verdict.FORWARD_TO_SERVER, ipipOut(S1, fromClient(SYN), true)))),
            new Case("DF clear inside means DF clear outside; TTL 1 inside is carried", Delivery.DSR_IPIP,
                List.of(S1), List.of(
                TableStep.bytes(fromClient(SYN).fragment(0).ttl(1), Verdict.FORWARD_TO_SERVER,
                        ipipOut(S1, fromClient(SYN).fragment(0).ttl(1), false)))),
            new Case("a packet that cannot grow by 20 bytes is dropped", Delivery.DSR_IPIP, List.of(S1), List.of(
                TableStep.bytes(fromClient(SYN).payload(big), Verdict.DROP_TOO_BIG, null))),
            new Case("malformed frames", Delivery.DSR_IPIP, List.of(S1), malformed));
    }

    static Forwarder forwarder(Delivery method, TestScheduler scheduler, List<ServerRef> servers,
                               WorkerCounters counters, FlowTable table) throws Exception {
        Forwarder forwarder = new Forwarder(table, counters, true, ONLY_S1);
        forwarder.configure(List.of(new PassthroughFrontend("web", (Inet4Address) Inet4Address.getByName(VIP), 80,
                servers, scheduler, method)));
        return forwarder;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void processesEachFrameAsTabled(Case c) throws Exception {
        TestScheduler scheduler = new TestScheduler(c.servers());
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = forwarder(c.method(), scheduler, c.servers(), counters, table);
        int n = 0;
        for (TableStep step : c.steps()) {
            step.before().accept(scheduler);
            byte[] frame = step.input().clone();
            Verdict verdict = forwarder.process(frame, frame.length, 1_000L * n++);
            assertThat(verdict).as("step %d", n).isEqualTo(step.verdict());
            if (step.expected() != null) {
                byte[] out = Arrays.copyOfRange(forwarder.outputBuffer(), forwarder.outputOffset(),
                        forwarder.outputOffset() + forwarder.outputLength());
                assertThat(out).as("step %d output", n).isEqualTo(step.expected());
                int destination = switch (verdict) {
                    case RST_TO_CLIENT -> FrameBuilder.ip(CLIENT);
                    case FORWARD_FRAME_TO_SERVER -> S1.ip(); // the frame itself still says the VIP
                    default -> TcpFrame.readInt(out, 16);
                };
                assertThat(forwarder.outputDestination()).isEqualTo(destination);
            }
        }
        assertThat(counters.get(WorkerCounters.PACKETS_TO_CLIENTS)).isZero();
        assertThat(table.port(0)).as("DSR flows take no ephemeral port").isZero();
    }

    @Test
    void dsrFlowsTakeNoEphemeralPortsSoTheTableIsNotLimitedByThem() throws Exception {
        TestScheduler scheduler = new TestScheduler(List.of(NAT_S1));
        WorkerCounters counters = new WorkerCounters();
        // a port range of one: passthrough could hold one flow, DSR holds as many as the table
        FlowTable table = new FlowTable(100, FlowTimeouts.defaults(), new ServerPorts(40000, 40000, 0, 1), counters);
        Forwarder forwarder = forwarder(Delivery.DSR_NAT, scheduler, List.of(NAT_S1), counters, table);
        for (int i = 0; i < 100; i++) {
            byte[] frame = FrameBuilder.tcp(CLIENT, 1024 + i, VIP, 80).flags(SYN).frame();
            assertThat(forwarder.process(frame, frame.length, i)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        }
        assertThat(table.size()).isEqualTo(100);
        assertThat(counters.get(WorkerCounters.OPENED)).isEqualTo(100);
    }

    @Test
    void serverDownResetUsesTheClientsLastAcknowledgement() throws Exception {
        TestScheduler scheduler = new TestScheduler(List.of(NAT_S1));
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = forwarder(Delivery.DSR_NAT, scheduler, List.of(NAT_S1), counters, table);
        for (FrameBuilder b : List.of(fromClient(SYN), fromClient(ACK).seq(1001).ack(5001),
                fromClient(ACK).seq(1001).ack(9001), fromClient(ACK).seq(1001).ack(8001))) {
            byte[] frame = b.frame();
            forwarder.process(frame, frame.length, 0);
        }
        int f = table.find(FrameBuilder.ip(CLIENT), 40000, FrameBuilder.ip(VIP), 80);
        byte[] scratch = new byte[128];
        assertThat(forwarder.resetForServerDown(f, scratch)).isTrue();
        assertThat(Arrays.copyOfRange(scratch, 14, 54)).isEqualTo(reset(9001, 0, RST));
        assertThat(forwarder.outputDestination()).isEqualTo(FrameBuilder.ip(CLIENT));
    }

    @Test
    void encapsulatedPacketParsesAsIpInIpWithValidChecksums() throws Exception {
        TestScheduler scheduler = new TestScheduler(List.of(S1));
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = forwarder(Delivery.DSR_IPIP, scheduler, List.of(S1), counters, table);
        byte[] frame = fromClient(SYN).payload("hello").frame();
        assertThat(forwarder.process(frame, frame.length, 0)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        IpV4Packet outer = IpV4Packet.newPacket(forwarder.outputBuffer(), 0, forwarder.outputLength());
        assertThat(outer.getHeader().getProtocol()).isEqualTo(IpNumber.IPV4);
        assertThat(outer.getHeader().hasValidChecksum(false)).isTrue();
        assertThat(outer.getHeader().getDstAddr().getHostAddress()).isEqualTo("10.0.1.1");
        assertThat(outer.getHeader().getTotalLengthAsInt()).isEqualTo(forwarder.outputLength());
        // pcap4j does not decode IPv4 inside IPv4 by itself: parse the payload as the server would.
        IpV4Packet inner = IpV4Packet.newPacket(forwarder.outputBuffer(), 20, forwarder.outputLength() - 20);
        assertThat(inner.getHeader().hasValidChecksum(false)).isTrue();
        assertThat(inner.getHeader().getSrcAddr().getHostAddress()).isEqualTo(CLIENT);
        assertThat(inner.getHeader().getDstAddr().getHostAddress()).isEqualTo(VIP);
        TcpPacket tcp = (TcpPacket) inner.getPayload();
        assertThat(tcp.hasValidChecksum(inner.getHeader().getSrcAddr(), inner.getHeader().getDstAddr(), false))
                .isTrue();
        assertThat(tcp.getHeader().getDstPort().valueAsInt()).isEqualTo(80);
    }
}
