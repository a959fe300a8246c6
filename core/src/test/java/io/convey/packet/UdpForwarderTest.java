package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UDP through passthrough and DSR nat, frame by frame: flows keyed by the 5-tuple with the frontend's idle timeout,
 * checksums updated incrementally (compared byte for byte with datagrams built from scratch), a zero IPv4 checksum
 * left zero, IPv6 checksums required and kept right, malformed datagrams dropped and counted.
 */
class UdpForwarderTest {
    static final String CLIENT = "192.168.1.5";
    static final String VIP = "10.0.0.10";
    static final ServerRef S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 5353);
    static final ServerRef S2 = new ServerRef("s2", FrameBuilder.ip("10.0.1.2"), 5353);
    static final Duration IDLE = Duration.ofSeconds(30);

    private final WorkerCounters counters = new WorkerCounters();
    private final FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
    private final Forwarder forwarder = new Forwarder(table, counters, true, Neighbours.NONE);
    private TestScheduler scheduler;

    private void frontends(Delivery delivery, String vip, List<ServerRef> servers) throws Exception {
        scheduler = new TestScheduler(servers);
        forwarder.configure(List.of(new PassthroughFrontend("dns", InetAddress.getByName(vip), 53, servers, scheduler,
                delivery, InetAddress.getByName(vip), Transport.udp(IDLE)),
                new PassthroughFrontend("tcp", InetAddress.getByName(vip), 53, servers, scheduler, delivery)));
    }

    private byte[] output(FrameBuilder in, Verdict expected, long now) {
        byte[] frame = in.frame();
        assertThat(forwarder.process(frame, frame.length, now)).isEqualTo(expected);
        return expected.sends() ? Arrays.copyOfRange(frame, forwarder.outputOffset(),
                forwarder.outputOffset() + forwarder.outputLength()) : null;
    }

    @Test
    void aRequestAndItsAnswerAreTranslatedBothWaysAndTheFlowKeepsItsServer() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1, S2));
        assertThat(output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("query"), Verdict.FORWARD_TO_SERVER, 0))
                .isEqualTo(FrameBuilder.udp(VIP, 40000, "10.0.1.1", 5353).payload("query").ttl(63).ipPacket());
        assertThat(output(FrameBuilder.udp("10.0.1.1", 5353, VIP, 40000).payload("answer!"),
                Verdict.FORWARD_TO_CLIENT, 1))
                .isEqualTo(FrameBuilder.udp(VIP, 53, CLIENT, 40000).payload("answer!").ttl(63).ipPacket());
        assertThat(output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("again"), Verdict.FORWARD_TO_SERVER, 2))
                .as("the same 5-tuple stays on its server").isEqualTo(FrameBuilder.udp(VIP, 40000, "10.0.1.1", 5353)
                        .payload("again").ttl(63).ipPacket());
        assertThat(forwarder.outputDestination()).isEqualTo(S1.ip());

        assertThat(counters.get(WorkerCounters.UDP_FLOWS_OPENED)).isEqualTo(1);
        assertThat(counters.get(WorkerCounters.UDP_DATAGRAMS_TO_SERVERS)).isEqualTo(2);
        assertThat(counters.get(WorkerCounters.UDP_BYTES_TO_SERVERS)).isEqualTo(10);
        assertThat(counters.get(WorkerCounters.UDP_DATAGRAMS_TO_CLIENTS)).isEqualTo(1);
        assertThat(counters.get(WorkerCounters.UDP_BYTES_TO_CLIENTS)).isEqualTo(7);
        assertThat(counters.get(WorkerCounters.PACKETS_TO_SERVERS)).as("TCP's counters").isZero();
    }

    @Test
    void tcpAndUdpFromTheSameClientPortToTheSameVipPortAreTwoFlows() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1, S2));
        output(FrameBuilder.udp(CLIENT, 40000, VIP, 53), Verdict.FORWARD_TO_SERVER, 0);
        byte[] syn = output(FrameBuilder.tcp(CLIENT, 40000, VIP, 53).flags(TcpFrame.SYN), Verdict.FORWARD_TO_SERVER, 1);
        assertThat(syn).isEqualTo(FrameBuilder.tcp(VIP, 40000, "10.0.1.2", 5353).flags(TcpFrame.SYN).ttl(63)
                .ipPacket());
        assertThat(table.size()).isEqualTo(2);
        assertThat(output(FrameBuilder.udp("10.0.1.2", 5353, VIP, 40000), Verdict.DROP_NO_FLOW, 2))
                .as("a UDP reply does not match the TCP flow on the same port").isNull();
    }

    @Test
    void aZeroIpv4ChecksumStaysZeroBothWays() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1));
        byte[] out = output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("q").zeroChecksum(),
                Verdict.FORWARD_TO_SERVER, 0);
        assertThat(out).isEqualTo(FrameBuilder.udp(VIP, 40000, "10.0.1.1", 5353).payload("q").zeroChecksum().ttl(63)
                .ipPacket());
        assertThat(TcpFrame.readU16(out, 20 + 6)).isZero();
        byte[] back = output(FrameBuilder.udp("10.0.1.1", 5353, VIP, 40000).payload("a").zeroChecksum(),
                Verdict.FORWARD_TO_CLIENT, 1);
        assertThat(TcpFrame.readU16(back, 20 + 6)).isZero();
    }

    @Test
    void aChecksumThatComesOutZeroIsSentAsAllOnes() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1));
        for (int word = 0; word < 0x10000; word++) {
            byte[] payload = {(byte) (word >>> 8), (byte) word};
            byte[] expected = FrameBuilder.udp(VIP, 40000, "10.0.1.1", 5353).payload(payload).ttl(63).ipPacket();
            if (TcpFrame.readU16(expected, 26) == 0xFFFF) { // the sum over the rewritten datagram is zero
                byte[] out = output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload(payload),
                        Verdict.FORWARD_TO_SERVER, 0);
                assertThat(out).isEqualTo(expected);
                return;
            }
        }
        throw new AssertionError("no two-byte payload sums to zero");
    }

    @Test
    void ipv6ChecksumsAreKeptRightAndAZeroOneIsRefused() throws Exception {
        ServerRef server = ServerRef.of("s6", InetAddress.getByName("2001:db8:b::1"), 5353);
        frontends(Delivery.PASSTHROUGH, "2001:db8:a::10", List.of(server));
        assertThat(output(FrameBuilder.udp6("2001:db8:c::5", 40000, "2001:db8:a::10", 53).payload("query"),
                Verdict.FORWARD_TO_SERVER, 0)).isEqualTo(FrameBuilder.udp6("2001:db8:a::10", 40000, "2001:db8:b::1",
                5353).payload("query").ttl(63).ipPacket());
        assertThat(output(FrameBuilder.udp6("2001:db8:b::1", 5353, "2001:db8:a::10", 40000).payload("answer"),
                Verdict.FORWARD_TO_CLIENT, 1)).isEqualTo(FrameBuilder.udp6("2001:db8:a::10", 53, "2001:db8:c::5",
                40000).payload("answer").ttl(63).ipPacket());
        output(FrameBuilder.udp6("2001:db8:c::5", 40001, "2001:db8:a::10", 53).zeroChecksum(), Verdict.DROP_MALFORMED, 2);
        assertThat(counters.get(WorkerCounters.UDP_DROPPED_MALFORMED)).isEqualTo(1);
    }

    @Test
    void malformedDatagramsAreDroppedAndCounted() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1));
        output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("abc").udpLengthOff(1), Verdict.DROP_MALFORMED, 0);
        output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("abc").udpLengthOff(-4), Verdict.DROP_MALFORMED, 1);
        output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("abc").badTcpChecksum(), Verdict.DROP_BAD_CHECKSUM, 2);
        byte[] truncated = Arrays.copyOf(FrameBuilder.udp(CLIENT, 40000, VIP, 53).frame(), 14 + 20 + 4);
        TcpFrame.writeU16(truncated, 16, 24);
        TcpFrame.writeU16(truncated, 24, 0);
        TcpFrame.writeU16(truncated, 24, Checksums.ipv4Header(truncated, 14, 20));
        assertThat(forwarder.process(truncated, truncated.length, 3)).isEqualTo(Verdict.DROP_MALFORMED);
        assertThat(counters.get(WorkerCounters.UDP_DROPPED_MALFORMED)).isEqualTo(4);
        assertThat(counters.drops(DropReason.MALFORMED)).isEqualTo(3);
        assertThat(table.size()).isZero();
    }

    @Test
    void dsrNatKeepsTheClientAsSourceAndAFlowEndsAfterItsIdleTimeout() throws Exception {
        frontends(Delivery.DSR_NAT, VIP, List.of(S1, S2));
        assertThat(output(FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("q"), Verdict.FORWARD_TO_SERVER, 0))
                .isEqualTo(FrameBuilder.udp(CLIENT, 40000, "10.0.1.1", 5353).payload("q").ttl(63).ipPacket());
        table.sweep(IDLE.toNanos(), f -> { });
        assertThat(table.size()).as("idle for exactly the timeout: kept").isEqualTo(1);
        table.sweep(IDLE.toNanos() + 1, f -> { });
        assertThat(table.size()).as("idle past the frontend's udp_idle_timeout_s").isZero();
    }

    @Test
    void aDatagramWithoutAServerIsDroppedAndAFlowOfADownServerPicksAgain() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1, S2));
        output(FrameBuilder.udp(CLIENT, 40000, VIP, 53), Verdict.FORWARD_TO_SERVER, 0);
        assertThat(forwarder.outputDestination()).isEqualTo(S1.ip());
        scheduler.markDown(S1);
        output(FrameBuilder.udp(CLIENT, 40000, VIP, 53), Verdict.FORWARD_TO_SERVER, 1);
        assertThat(forwarder.outputDestination()).isEqualTo(S2.ip());
        scheduler.markDown(S2);
        output(FrameBuilder.udp(CLIENT, 40001, VIP, 53), Verdict.DROP_NO_FLOW, 2);
    }

    @Test
    void aPartialChecksumLeftToOffloadFollowsTheAddressesAndIsCompletedForARawSocket() throws Exception {
        frontends(Delivery.PASSTHROUGH, VIP, List.of(S1));
        byte[] frame = FrameBuilder.udp(CLIENT, 40000, VIP, 53).payload("query").frame();
        // what a local sender on veth leaves: the pseudo-header's sum only (Linux's udp4_hwcsum)
        long pseudo = Checksums.sum(frame, 26, 8, 17 + 13);
        TcpFrame.writeU16(frame, 34 + 6, Checksums.fold(pseudo));
        FrameOffload offload = new FrameOffload();
        offload.partialChecksum = true;
        offload.csumStart = 34;
        offload.csumOffset = 6;
        assertThat(forwarder.process(frame, frame.length, offload, 0)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        Checksums.completeTcpAt(frame, forwarder.outputOffset(), forwarder.outputLength());
        assertThat(Arrays.copyOfRange(frame, forwarder.outputOffset(), forwarder.outputOffset()
                + forwarder.outputLength())).isEqualTo(FrameBuilder.udp(VIP, 40000, "10.0.1.1", 5353).payload("query")
                .ttl(63).ipPacket());
    }
}
