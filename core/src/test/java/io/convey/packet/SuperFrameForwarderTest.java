package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Super-frames with their vnet header, table-driven: a super-frame is rewritten once, keeps its GSO type and size
 * for the kernel to segment, and its partial checksum (the pseudo-header's sum) follows the new addresses only;
 * completed, it equals the checksum of the expected packet built from scratch. Frames whose vnet header does not fit
 * them are dropped as malformed.
 */
class SuperFrameForwarderTest {
    static final byte[] DATA = TcpSegmenterTest.payload(4000);
    static final int PSH = 0x08;

    /**
     * One row: after the handshake {@code setup}, {@code input} arrives with a vnet header of {@code gsoType}
     * ({@code partial}: its checksum is the pseudo-header's sum at the TCP field); {@code expected} is what leaves.
     */
    record Case(String name, Delivery delivery, String vip, List<ServerRef> servers, List<FrameBuilder> setup,
                FrameBuilder input, int gsoType, boolean partial, int csumStart, Verdict verdict,
                FrameBuilder expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final ServerRef S1 = PassthroughForwarderTest.S1;
    static final ServerRef S1_IPV6 = PassthroughIpv6ForwarderTest.S1;

    static Stream<Case> cases() {
        String vip4 = PassthroughForwarderTest.VIP;
        String vip6 = PassthroughIpv6ForwarderTest.VIP;
        List<FrameBuilder> handshake4 = List.of(PassthroughForwarderTest.fromClient(SYN),
                PassthroughForwarderTest.fromServer(SYN | ACK));
        List<FrameBuilder> handshake6 = List.of(PassthroughIpv6ForwarderTest.fromClient(SYN),
                PassthroughIpv6ForwarderTest.fromServer(SYN | ACK));
        int v4 = FrameOffload.GSO_TCPV4;
        int v6 = FrameOffload.GSO_TCPV6;
        return Stream.of(
            new Case("passthrough IPv4: a server's partial super-frame to the client", Delivery.PASSTHROUGH, vip4,
                    List.of(S1), handshake4,
                    PassthroughForwarderTest.fromServer(ACK | PSH).seq(5001).payload(DATA), v4, true, 34,
                    Verdict.FORWARD_TO_CLIENT,
                    PassthroughForwarderTest.toClient(ACK | PSH).seq(5001).payload(DATA)),
            new Case("passthrough IPv4: a client's partial super-frame (an upload) to the server",
                    Delivery.PASSTHROUGH, vip4, List.of(S1), handshake4,
                    PassthroughForwarderTest.fromClient(ACK).seq(1001).ack(5001).payload(DATA), v4, true, 34,
                    Verdict.FORWARD_TO_SERVER,
                    PassthroughForwarderTest.toServer(ACK).seq(1001).ack(5001).payload(DATA)),
            new Case("passthrough IPv4: a GRO super-frame with a complete checksum keeps it complete",
                    Delivery.PASSTHROUGH, vip4, List.of(S1), handshake4,
                    PassthroughForwarderTest.fromServer(ACK).seq(5001).payload(DATA), v4, false, 0,
                    Verdict.FORWARD_TO_CLIENT,
                    PassthroughForwarderTest.toClient(ACK).seq(5001).payload(DATA)),
            new Case("DSR nat IPv4: a client's partial super-frame keeps the client's address", Delivery.DSR_NAT,
                    vip4, List.of(S1), List.of(PassthroughForwarderTest.fromClient(SYN)),
                    PassthroughForwarderTest.fromClient(ACK).seq(1001).ack(5001).payload(DATA), v4, true, 34,
                    Verdict.FORWARD_TO_SERVER,
                    FrameBuilder.tcp(PassthroughForwarderTest.CLIENT, 40000, "10.0.1.1", 8080).flags(ACK).seq(1001)
                            .ack(5001).ttl(63).payload(DATA)),
            new Case("passthrough IPv6: a server's partial super-frame to the client", Delivery.PASSTHROUGH, vip6,
                    List.of(S1_IPV6), handshake6,
                    PassthroughIpv6ForwarderTest.fromServer(ACK).seq(5001).payload(DATA), v6, true, 54,
                    Verdict.FORWARD_TO_CLIENT,
                    PassthroughIpv6ForwarderTest.toClient(ACK).seq(5001).payload(DATA)),
            new Case("passthrough IPv6: a client's partial super-frame to the server", Delivery.PASSTHROUGH, vip6,
                    List.of(S1_IPV6), handshake6,
                    PassthroughIpv6ForwarderTest.fromClient(ACK).seq(1001).ack(5001).payload(DATA), v6, true, 54,
                    Verdict.FORWARD_TO_SERVER,
                    PassthroughIpv6ForwarderTest.toServer(ACK).seq(1001).ack(5001).payload(DATA)),
            new Case("a partial checksum whose place is not TCP's checksum field is malformed", Delivery.PASSTHROUGH,
                    vip4, List.of(S1), handshake4,
                    PassthroughForwarderTest.fromServer(ACK).seq(5001).payload(DATA), v4, true, 14,
                    Verdict.DROP_MALFORMED, null),
            new Case("an IPv6 GSO type on an IPv4 frame is malformed", Delivery.PASSTHROUGH, vip4, List.of(S1),
                    handshake4, PassthroughForwarderTest.fromServer(ACK).seq(5001).payload(DATA), v6, true, 34,
                    Verdict.DROP_MALFORMED, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rewritesASuperFrameOnceAndKeepsItsOffload(Case c) throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = new Forwarder(table, counters, true, Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("web", InetAddress.getByName(c.vip()), 80, c.servers(),
                new TestScheduler(c.servers()), c.delivery())));
        long now = 0;
        for (FrameBuilder step : c.setup()) {
            byte[] frame = step.frame();
            assertThat(forwarder.process(frame, frame.length, now++).sends()).isTrue();
        }
        byte[] frame = c.input().frame();
        FrameOffload offload = new FrameOffload();
        offload.gsoType = c.gsoType();
        offload.gsoSize = 1448;
        if (c.partial()) {
            Checksums.makePartial(frame, TcpFrame.ETHERNET_HEADER);
            offload.partialChecksum = true;
            offload.csumStart = c.csumStart();
            offload.csumOffset = 16;
        }
        long bytesBefore = counters.get(WorkerCounters.BYTES_TO_CLIENTS) + counters.get(WorkerCounters.BYTES_TO_SERVERS);

        Verdict verdict = forwarder.process(frame, frame.length, offload, now);

        assertThat(verdict).isEqualTo(c.verdict());
        if (c.expected() == null) {
            return;
        }
        byte[] out = Arrays.copyOfRange(frame, forwarder.outputOffset(),
                forwarder.outputOffset() + forwarder.outputLength());
        byte[] expected = c.expected().ipPacket();
        if (c.partial()) {
            byte[] partial = expected.clone();
            Checksums.makePartial(partial, 0);
            assertThat(out).as("the rewritten super-frame, its checksum partial").isEqualTo(partial);
            Checksums.completeTcpAt(out, 0, out.length);
        }
        assertThat(out).as("the rewritten super-frame, completed").isEqualTo(expected);
        FrameOffload sent = forwarder.outputOffload();
        assertThat(sent.gsoType).isEqualTo(c.gsoType());
        assertThat(sent.gsoSize).isEqualTo(1448);
        assertThat(sent.partialChecksum).isEqualTo(c.partial());
        assertThat(sent.csumStart).isEqualTo(c.csumStart());
        long bytes = counters.get(WorkerCounters.BYTES_TO_CLIENTS) + counters.get(WorkerCounters.BYTES_TO_SERVERS);
        assertThat(bytes - bytesBefore).as("the whole payload counted once").isEqualTo(DATA.length);
        assertThat(counters.get(WorkerCounters.PACKETS_TO_CLIENTS) + counters.get(WorkerCounters.PACKETS_TO_SERVERS))
                .isEqualTo(c.setup().size() + 1);
    }
}
