package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.FIN;
import static io.convey.packet.TcpFrame.RST;
import static io.convey.packet.TcpFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Passthrough and DSR nat over IPv6, table-driven like {@link PassthroughForwarderTest}. */
class PassthroughIpv6ForwarderTest {
    static final String CLIENT = "2001:db8:c::5";
    static final String VIP = "2001:db8:a::10";
    static final String SERVER1 = "2001:db8:b::1";
    static final ServerRef S1 = server("s1", SERVER1);
    static final ServerRef S2 = server("s2", "2001:db8:b::2");
    static final int EPHEMERAL = 40000;

    static ServerRef server(String name, String address) {
        try {
            return ServerRef.of(name, InetAddress.getByName(address), 8080);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    record Case(String name, List<ServerRef> servers, Delivery delivery, List<TableStep> steps) {
        Case(String name, List<ServerRef> servers, List<TableStep> steps) {
            this(name, servers, Delivery.PASSTHROUGH, steps);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static FrameBuilder fromClient(int flags) {
        return FrameBuilder.tcp6(CLIENT, 40000, VIP, 80).flags(flags);
    }

    static FrameBuilder toServer(int flags) {
        return FrameBuilder.tcp6(VIP, EPHEMERAL, SERVER1, 8080).flags(flags).ttl(63);
    }

    static FrameBuilder fromServer(int flags) {
        return FrameBuilder.tcp6(SERVER1, 8080, VIP, EPHEMERAL).flags(flags).seq(5000).ack(1001);
    }

    static FrameBuilder toClient(int flags) {
        return FrameBuilder.tcp6(VIP, 80, CLIENT, 40000).flags(flags).seq(5000).ack(1001).ttl(63);
    }

    static FrameBuilder reset(int seq, int ack, int flags) {
        return FrameBuilder.tcp6(VIP, 80, CLIENT, 40000).flags(flags).seq(seq).ack(ack).window(0);
    }

    static TableStep synToS1() {
        return TableStep.of(fromClient(SYN), Verdict.FORWARD_TO_SERVER, toServer(SYN));
    }

    static Stream<Case> cases() {
        byte[] syn = fromClient(SYN).frame();
        byte[] payloadTooLong = syn.clone();
        TcpFrame.writeU16(payloadTooLong, 18, 21); // one byte beyond the frame
        byte[] payloadTooShort = syn.clone();
        TcpFrame.writeU16(payloadTooShort, 18, 19); // less than a TCP header
        return Stream.of(
            new Case("SYN opens a flow to the scheduled server from VIP and the client's own port", List.of(S1),
                    List.of(synToS1())),
            new Case("handshake, then data both ways", List.of(S1), List.of(
                synToS1(),
                TableStep.of(fromServer(SYN | ACK), Verdict.FORWARD_TO_CLIENT, toClient(SYN | ACK)),
                TableStep.of(fromClient(ACK).seq(1001).ack(5001).payload("GET /"), Verdict.FORWARD_TO_SERVER,
                        toServer(ACK).seq(1001).ack(5001).payload("GET /")),
                TableStep.of(fromServer(ACK).seq(5001).ack(1006).payload("200 OK"), Verdict.FORWARD_TO_CLIENT,
                        toClient(ACK).seq(5001).ack(1006).payload("200 OK")))),
            new Case("a second client with the same port gets another port towards that server", List.of(S1), List.of(
                synToS1(),
                TableStep.of(FrameBuilder.tcp6("2001:db8:c::6", 40000, VIP, 80).flags(SYN), Verdict.FORWARD_TO_SERVER,
                        FrameBuilder.tcp6(VIP, 61000, SERVER1, 8080).flags(SYN).ttl(63)),
                TableStep.of(FrameBuilder.tcp6(SERVER1, 8080, VIP, 61000).flags(SYN | ACK), Verdict.FORWARD_TO_CLIENT,
                        FrameBuilder.tcp6(VIP, 80, "2001:db8:c::6", 40000).flags(SYN | ACK).ttl(63)),
                TableStep.of(fromServer(SYN | ACK), Verdict.FORWARD_TO_CLIENT, toClient(SYN | ACK)))),
            new Case("reply from another server or to an unknown port is dropped", List.of(S1, S2), List.of(
                synToS1(),
                TableStep.of(FrameBuilder.tcp6("2001:db8:b::2", 8080, VIP, EPHEMERAL).flags(SYN | ACK),
                        Verdict.DROP_NO_FLOW, null),
                TableStep.of(FrameBuilder.tcp6("2001:db8:b::99", 8080, VIP, EPHEMERAL).flags(SYN | ACK),
                        Verdict.DROP_NO_FLOW, null),
                TableStep.of(FrameBuilder.tcp6(SERVER1, 8080, VIP, 50000).flags(ACK), Verdict.DROP_NO_FLOW, null))),
            new Case("no server: RST+ACK with ACK = SEQ + SYN", List.of(), List.of(
                TableStep.of(fromClient(SYN).seq(1000), Verdict.RST_TO_CLIENT, reset(0, 1001, RST | ACK)))),
            new Case("segment without a flow gets a RST, SEQ = SEG.ACK", List.of(S1), List.of(
                TableStep.of(fromClient(ACK).seq(1001).ack(777), Verdict.RST_TO_CLIENT, reset(777, 0, RST)))),
            new Case("SYN after FIN both ways reuses the client port for a new flow", List.of(S1), List.of(
                synToS1(),
                TableStep.of(fromClient(FIN | ACK), Verdict.FORWARD_TO_SERVER, toServer(FIN | ACK)),
                TableStep.of(fromServer(FIN | ACK), Verdict.FORWARD_TO_CLIENT, toClient(FIN | ACK)),
                TableStep.of(fromClient(SYN).seq(9000), Verdict.FORWARD_TO_SERVER, toServer(SYN).seq(9000)))),
            new Case("Ethernet padding is not sent", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).padding(6), Verdict.FORWARD_TO_SERVER, toServer(SYN)))),
            new Case("hop limit 1 is not forwarded", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).ttl(1), Verdict.DROP_TTL_EXCEEDED, null))),
            new Case("extension headers are dropped: a fragment header as a fragment, others as not TCP", List.of(S1),
                    List.of(
                TableStep.of(fromClient(SYN).extensionHeader(TcpFrame.NEXT_HEADER_FRAGMENT), Verdict.DROP_FRAGMENT,
                        null),
                TableStep.of(fromClient(SYN).extensionHeader(0), Verdict.DROP_NOT_TCP, null),
                TableStep.of(fromClient(SYN).extensionHeader(60), Verdict.DROP_NOT_TCP, null),
                TableStep.of(fromClient(SYN).protocol(47), Verdict.DROP_NOT_TCP, null))),
            new Case("malformed frames", List.of(S1), List.of(
                TableStep.raw(Arrays.copyOf(syn, 40), Verdict.DROP_MALFORMED),
                TableStep.raw(Arrays.copyOf(syn, 70), Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 14, 0x45), Verdict.DROP_MALFORMED),
                TableStep.raw(payloadTooLong, Verdict.DROP_MALFORMED),
                TableStep.raw(payloadTooShort, Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 66, 0x40), Verdict.DROP_MALFORMED))),
            new Case("bad TCP checksum", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).badTcpChecksum(), Verdict.DROP_BAD_CHECKSUM, null))),
            new Case("a VIP's address on another port is not a frontend", List.of(S1), List.of(
                TableStep.of(FrameBuilder.tcp6(CLIENT, 40000, VIP, 81).flags(SYN), Verdict.DROP_NO_FLOW, null))),
            new Case("DSR nat: the client's source is kept, destination becomes the server", List.of(S1),
                    Delivery.DSR_NAT, List.of(
                TableStep.of(fromClient(SYN), Verdict.FORWARD_TO_SERVER,
                        FrameBuilder.tcp6(CLIENT, 40000, SERVER1, 8080).flags(SYN).ttl(63)),
                TableStep.of(fromClient(ACK).seq(1001).payload("x"), Verdict.FORWARD_TO_SERVER,
                        FrameBuilder.tcp6(CLIENT, 40000, SERVER1, 8080).flags(ACK).seq(1001).payload("x").ttl(63)))));
    }

    static byte[] patched(byte[] frame, int at, int value) {
        byte[] copy = frame.clone();
        copy[at] = (byte) value;
        return copy;
    }

    static Forwarder forwarder(FlowTable table, WorkerCounters counters, FlowScheduler scheduler,
                               List<ServerRef> servers, Delivery delivery) throws Exception {
        Forwarder forwarder = new Forwarder(table, counters, true, Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("web", InetAddress.getByName(VIP), 80, servers,
                scheduler, delivery)));
        return forwarder;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void processesEachFrameAsTabled(Case c) throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = forwarder(table, counters, new TestScheduler(c.servers()), c.servers(), c.delivery());
        int n = 0;
        for (TableStep step : c.steps()) {
            byte[] frame = step.input().clone();
            Verdict verdict = forwarder.process(frame, frame.length, 1_000L * n++);
            assertThat(verdict).as("step %d", n).isEqualTo(step.verdict());
            if (step.expected() != null) {
                byte[] out = Arrays.copyOfRange(frame, forwarder.outputOffset(),
                        forwarder.outputOffset() + forwarder.outputLength());
                assertThat(out).as("step %d output", n).isEqualTo(step.expected());
                assertThat(forwarder.outputIsIpv6()).isTrue();
            }
        }
    }

    @Test
    void clientIdsAreFreedWithTheirLastFlowAndReusedByTheNextClient() throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = forwarder(table, counters, new TestScheduler(List.of(S1)), List.of(S1),
                Delivery.PASSTHROUGH);
        for (int port : new int[] {40000, 40001}) {
            byte[] syn = FrameBuilder.tcp6(CLIENT, port, VIP, 80).flags(SYN).frame();
            assertThat(forwarder.process(syn, syn.length, 0)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        }
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.clients().size()).as("one client, two flows").isEqualTo(1);

        table.sweep(Long.MAX_VALUE, f -> {}); // every flow idle past its timeout
        assertThat(table.size()).isZero();
        assertThat(table.clients().size()).isZero();
        assertThat(table.clients().find(Ipv6.readLong(FrameBuilder.ip6(CLIENT), 0),
                Ipv6.readLong(FrameBuilder.ip6(CLIENT), 8))).isZero();

        byte[] other = FrameBuilder.tcp6("2001:db8:c::7", 40000, VIP, 80).flags(SYN).frame();
        assertThat(forwarder.process(other, other.length, 1)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        int vip = Ipv6.id((Inet6Address) InetAddress.getByName(VIP));
        assertThat(table.find(ClientIds.FIRST, 40000, vip, 80)).as("the freed id is handed out again")
                .isNotNegative();
    }

    @Test
    void aServerGoingDownResetsItsIpv6ClientWhereTheServerLeftOff() throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        TestScheduler scheduler = new TestScheduler(List.of(S1));
        Forwarder forwarder = forwarder(table, counters, scheduler, List.of(S1), Delivery.PASSTHROUGH);
        byte[] syn = fromClient(SYN).frame();
        forwarder.process(syn, syn.length, 0);
        byte[] synAck = fromServer(SYN | ACK).frame();
        forwarder.process(synAck, synAck.length, 1);

        scheduler.markDown(S1);
        byte[] scratch = new byte[128];
        int[] resets = new int[1];
        table.sweep(2, f -> {
            assertThat(forwarder.resetForServerDown(f, scratch)).isTrue();
            resets[0]++;
        });
        assertThat(resets[0]).isEqualTo(1);
        assertThat(forwarder.outputIsIpv6()).isTrue();
        assertThat(Arrays.copyOfRange(scratch, forwarder.outputOffset(),
                forwarder.outputOffset() + forwarder.outputLength())).isEqualTo(reset(5001, 0, RST).ipPacket());
        assertThat(table.clients().size()).isZero();
    }

    @Test
    void ipv4FramesFromOrToZeroSlashEightAreMalformedSoTheyNeverMeetIpv6Ids() throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = new Forwarder(table, counters, true, Neighbours.NONE);
        ServerRef v4 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 8080);
        forwarder.configure(List.of(new PassthroughFrontend("web", InetAddress.getByName("10.0.0.10"), 80,
                List.of(v4), new TestScheduler(List.of(v4)))));
        for (String id : new String[] {"0.16.0.0", "0.0.0.1", "0.255.255.255"}) {
            byte[] in = FrameBuilder.tcp(id, 40000, "10.0.0.10", 80).flags(SYN).frame();
            assertThat(forwarder.process(in, in.length, 0)).as(id).isEqualTo(Verdict.DROP_MALFORMED);
            byte[] reply = FrameBuilder.tcp("10.0.1.1", 8080, id, 40000).flags(SYN | ACK).frame();
            assertThat(forwarder.process(reply, reply.length, 0)).as(id).isEqualTo(Verdict.DROP_MALFORMED);
        }
        assertThat(table.size()).isZero();
    }

    @Test
    void frontendsRefuseMixedFamiliesAndIpv6ForL2AndIpip() throws Exception {
        InetAddress vip6 = InetAddress.getByName(VIP);
        ServerRef v4 = new ServerRef("old", FrameBuilder.ip("10.0.1.1"), 8080);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PassthroughFrontend("web", vip6, 80,
                List.of(S1, v4), new TestScheduler(List.of())))
                .hasMessage("server old: 10.0.1.1 (expected: an IPv6 address, like the VIP 2001:db8:a::10)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PassthroughFrontend("web", vip6, 80,
                List.of(S1), new TestScheduler(List.of()), Delivery.DSR_L2))
                .hasMessage("vip: 2001:db8:a::10 (expected: an IPv4 address for dsr_method l2)");
        assertThat(vip6).isInstanceOf(Inet6Address.class);
    }
}
