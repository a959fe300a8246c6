package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.FIN;
import static io.convey.packet.TcpFrame.RST;
import static io.convey.packet.TcpFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Passthrough, table-driven: a sequence of input frames, each with its expected verdict and expected output packet. */
class PassthroughForwarderTest {
    static final String CLIENT = "192.168.1.5";
    static final String VIP = "10.0.0.10";
    static final ServerRef S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 8080);
    static final ServerRef S2 = new ServerRef("s2", FrameBuilder.ip("10.0.1.2"), 8080);
    /** The client's own port, which the flow keeps towards the server (PortAllocator). */
    static final int EPHEMERAL = 40000;

    record Case(String name, List<ServerRef> servers, List<TableStep> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static FrameBuilder fromClient(int flags) {
        return FrameBuilder.tcp(CLIENT, 40000, VIP, 80).flags(flags);
    }

    static FrameBuilder toServer(int flags) {
        return FrameBuilder.tcp(VIP, EPHEMERAL, "10.0.1.1", 8080).flags(flags).ttl(63);
    }

    static FrameBuilder fromServer(int flags) {
        return FrameBuilder.tcp("10.0.1.1", 8080, VIP, EPHEMERAL).flags(flags).seq(5000).ack(1001);
    }

    static FrameBuilder toClient(int flags) {
        return FrameBuilder.tcp(VIP, 80, CLIENT, 40000).flags(flags).seq(5000).ack(1001).ttl(63);
    }

    static FrameBuilder reset(int seq, int ack, int flags) {
        return FrameBuilder.tcp(VIP, 80, CLIENT, 40000).flags(flags).seq(seq).ack(ack).ipId(0).window(0);
    }

    static TableStep synToS1() {
        return TableStep.of(fromClient(SYN), Verdict.FORWARD_TO_SERVER, toServer(SYN));
    }

    static byte[] truncated(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
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
        return Stream.of(
            new Case("SYN opens a flow to the scheduled server from VIP and the client's own port", List.of(S1),
                    List.of(synToS1())),
            new Case("a second client with the same port gets another port towards that server", List.of(S1), List.of(
                synToS1(),
                TableStep.of(FrameBuilder.tcp("192.168.1.6", 40000, VIP, 80).flags(SYN), Verdict.FORWARD_TO_SERVER,
                        FrameBuilder.tcp(VIP, 61000, "10.0.1.1", 8080).flags(SYN).ttl(63)),
                TableStep.of(FrameBuilder.tcp("10.0.1.1", 8080, VIP, 61000).flags(SYN | ACK), Verdict.FORWARD_TO_CLIENT,
                        FrameBuilder.tcp(VIP, 80, "192.168.1.6", 40000).flags(SYN | ACK).ttl(63)))),
            new Case("handshake, then data both ways", List.of(S1), List.of(
                synToS1(),
                TableStep.of(fromServer(SYN | ACK), Verdict.FORWARD_TO_CLIENT, toClient(SYN | ACK)),
                TableStep.of(fromClient(ACK).seq(1001).ack(5001).payload("GET /"), Verdict.FORWARD_TO_SERVER,
                        toServer(ACK).seq(1001).ack(5001).payload("GET /")),
                TableStep.of(fromServer(ACK).seq(5001).ack(1006).payload("200 OK"), Verdict.FORWARD_TO_CLIENT,
                        toClient(ACK).seq(5001).ack(1006).payload("200 OK")))),
            new Case("reply from another server is dropped", List.of(S1, S2), List.of(
                synToS1(),
                TableStep.of(FrameBuilder.tcp("10.0.1.2", 8080, VIP, EPHEMERAL).flags(SYN | ACK),
                        Verdict.DROP_NO_FLOW, null),
                TableStep.of(FrameBuilder.tcp("10.0.1.1", 9999, VIP, EPHEMERAL).flags(SYN | ACK),
                        Verdict.DROP_NO_FLOW, null))),
            new Case("reply to an unknown port is dropped", List.of(S1), List.of(
                TableStep.of(fromServer(ACK), Verdict.DROP_NO_FLOW, null))),
            new Case("retransmitted SYN keeps the flow's port", List.of(S1, S2), List.of(synToS1(), synToS1())),
            new Case("segment without a flow gets a RST to the client's own port, SEQ = SEG.ACK", List.of(S1), List.of(
                TableStep.of(fromClient(ACK).seq(1001).ack(777), Verdict.RST_TO_CLIENT, reset(777, 0, RST)))),
            new Case("stray client RST is dropped", List.of(S1), List.of(
                TableStep.of(fromClient(RST), Verdict.DROP_NO_FLOW, null))),
            new Case("no server: RST+ACK with ACK = SEQ + SYN", List.of(), List.of(
                TableStep.of(fromClient(SYN).seq(1000), Verdict.RST_TO_CLIENT, reset(0, 1001, RST | ACK)))),
            new Case("no server: ACK of a SYN with payload counts the payload", List.of(), List.of(
                TableStep.of(fromClient(SYN).seq(1000).payload("abc"), Verdict.RST_TO_CLIENT,
                        reset(0, 1004, RST | ACK)))),
            new Case("server down: its flow is reset on the client's next segment; the new flow to the other server"
                    + " may use the same ephemeral port", List.of(S1, S2), List.of(
                synToS1(),
                TableStep.of(fromServer(SYN | ACK), Verdict.FORWARD_TO_CLIENT, toClient(SYN | ACK)),
                TableStep.of(fromClient(ACK).seq(1001).ack(5001), Verdict.RST_TO_CLIENT, reset(5001, 0, RST))
                    .after(s -> s.markDown(S1)),
                TableStep.of(fromClient(SYN).seq(3000), Verdict.FORWARD_TO_SERVER,
                        FrameBuilder.tcp(VIP, EPHEMERAL, "10.0.1.2", 8080).flags(SYN).seq(3000).ttl(63)))),
            new Case("SYN after FIN both ways reuses the client port for a new flow on the same 4-tuple, whose"
                    + " timestamps then keep growing for the server's TIME_WAIT", List.of(S1), List.of(
                synToS1(),
                TableStep.of(fromClient(FIN | ACK), Verdict.FORWARD_TO_SERVER, toServer(FIN | ACK)),
                TableStep.of(fromServer(FIN | ACK), Verdict.FORWARD_TO_CLIENT, toClient(FIN | ACK)),
                TableStep.of(fromClient(SYN).seq(9000), Verdict.FORWARD_TO_SERVER,
                        FrameBuilder.tcp(VIP, EPHEMERAL, "10.0.1.1", 8080).flags(SYN).seq(9000).ttl(63)))),
            new Case("IP options are kept", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).ipOptions(new byte[] {1, 1, 1, 0}), Verdict.FORWARD_TO_SERVER,
                        toServer(SYN).ipOptions(new byte[] {1, 1, 1, 0})))),
            new Case("Ethernet padding is not sent", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).padding(6), Verdict.FORWARD_TO_SERVER, toServer(SYN)))),
            new Case("TTL 1 is not forwarded", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).ttl(1), Verdict.DROP_TTL_EXCEEDED, null))),
            new Case("malformed frames", List.of(S1), List.of(
                TableStep.raw(truncated(syn, 10), Verdict.DROP_MALFORMED),
                TableStep.raw(truncated(syn, 30), Verdict.DROP_MALFORMED),
                TableStep.raw(truncated(syn, 50), Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 14, 0x44), Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 14, 0x65), Verdict.DROP_MALFORMED),
                TableStep.raw(totalTooLong, Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 46, 0x40), Verdict.DROP_MALFORMED),
                TableStep.raw(patched(syn, 46, 0xF0), Verdict.DROP_MALFORMED))),
            new Case("bad checksums", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).badIpChecksum(), Verdict.DROP_BAD_CHECKSUM, null),
                TableStep.of(fromClient(SYN).badTcpChecksum(), Verdict.DROP_BAD_CHECKSUM, null))),
            new Case("fragments", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).fragment(0x2000), Verdict.DROP_FRAGMENT, null),
                TableStep.of(fromClient(SYN).fragment(0x0010), Verdict.DROP_FRAGMENT, null))),
            new Case("not TCP", List.of(S1), List.of(
                TableStep.of(fromClient(SYN).protocol(47), Verdict.DROP_NOT_TCP, null),
                TableStep.raw(patched(syn, 13, 0x06), Verdict.DROP_NOT_TCP))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void processesEachFrameAsTabled(Case c) throws Exception {
        TestScheduler scheduler = new TestScheduler(c.servers());
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = new Forwarder(table, counters, true, Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("web", (Inet4Address) Inet4Address.getByName(VIP), 80,
                c.servers(), scheduler)));
        int n = 0;
        for (TableStep step : c.steps()) {
            step.before().accept(scheduler);
            byte[] frame = step.input().clone();
            Verdict verdict = forwarder.process(frame, frame.length, 1_000L * n++);
            assertThat(verdict).as("step %d", n).isEqualTo(step.verdict());
            if (step.expected() != null) {
                byte[] out = Arrays.copyOfRange(frame, forwarder.outputOffset(),
                        forwarder.outputOffset() + forwarder.outputLength());
                assertThat(out).as("step %d output", n).isEqualTo(step.expected());
                assertThat(forwarder.outputDestination()).isEqualTo(TcpFrame.readInt(step.expected(), 16));
            }
        }
    }

    @Test
    void withoutTcpVerificationABadChecksumIsForwardedAndStaysBad() throws Exception {
        assertThat(PassthroughSettings.defaults("eth0").verifyTcpChecksum()).isFalse();
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = new Forwarder(table, counters, false, Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("web", (Inet4Address) Inet4Address.getByName(VIP), 80,
                List.of(S1), new TestScheduler(List.of(S1)))));

        byte[] bad = fromClient(SYN).badTcpChecksum().frame();
        assertThat(forwarder.process(bad, bad.length, 0)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        // the rewrite is incremental (RFC 1624), so the server's stack still sees the corruption and drops it
        int ip = forwarder.outputOffset();
        int ihl = (bad[ip] & 0x0F) * 4;
        assertThat(Checksums.tcpValid(bad, TcpFrame.readInt(bad, ip + 12), TcpFrame.readInt(bad, ip + 16), ip + ihl,
                forwarder.outputLength() - ihl)).isFalse();
        byte[] good = fromClient(ACK).seq(1001).frame();
        assertThat(forwarder.process(good, good.length, 1)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(Checksums.tcpValid(good, TcpFrame.readInt(good, ip + 12), TcpFrame.readInt(good, ip + 16), ip + ihl,
                forwarder.outputLength() - ihl)).isTrue();

        byte[] badIp = fromClient(ACK).badIpChecksum().frame();
        assertThat(forwarder.process(badIp, badIp.length, 2)).isEqualTo(Verdict.DROP_BAD_CHECKSUM);
    }

    @Test
    void aPoolThatKeepsFlowsForwardsADownServersFlowAndTheSweepLeavesIt() throws Exception {
        TestScheduler scheduler = new TestScheduler(List.of(S1, S2)).keepingFlows();
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = new Forwarder(table, counters, true, Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("web", (Inet4Address) Inet4Address.getByName(VIP), 80,
                List.of(S1, S2), scheduler)));
        byte[] syn = fromClient(SYN).frame();
        assertThat(forwarder.process(syn, syn.length, 0)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(forwarder.outputDestination()).isEqualTo(S1.ip());

        scheduler.markDown(S1); // on_server_down = "keep": the flow goes on to S1
        byte[] data = fromClient(ACK).seq(1001).ack(5001).payload("GET /").frame();
        assertThat(forwarder.process(data, data.length, 1)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(forwarder.outputDestination()).isEqualTo(S1.ip());
        java.util.List<Integer> reset = new java.util.ArrayList<>();
        table.sweep(2, reset::add);
        assertThat(reset).isEmpty();
        assertThat(counters.get(WorkerCounters.ACTIVE)).isEqualTo(1);

        byte[] other = FrameBuilder.tcp("192.168.1.6", 40001, VIP, 80).flags(SYN).frame();
        assertThat(forwarder.process(other, other.length, 3)).isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(forwarder.outputDestination()).as("new flows avoid the down server").isEqualTo(S2.ip());
    }
}
