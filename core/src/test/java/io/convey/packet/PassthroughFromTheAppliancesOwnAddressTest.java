package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Passthrough with {@code [passthrough] source_addr}: flows leave from the appliance's own address, so that under
 * ECMP the servers' replies come back to the appliance holding the flow; replies to that address leave as the VIP.
 */
class PassthroughFromTheAppliancesOwnAddressTest {
    static final String CLIENT = "192.168.1.5";
    static final String VIP = "10.0.0.10";
    static final String OWN = "10.0.1.100";
    static final ServerRef S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 8080);

    private final WorkerCounters counters = new WorkerCounters();
    private final Forwarder forwarder = new Forwarder(new FlowTable(16, FlowTimeouts.defaults(),
            ServerPorts.forWorker(0, 1), counters), counters, true, Neighbours.NONE);

    private Verdict process(FrameBuilder frame, byte[][] out) {
        byte[] f = frame.frame();
        Verdict verdict = forwarder.process(f, f.length, 0);
        out[0] = verdict.sends() ? Arrays.copyOfRange(f, forwarder.outputOffset(),
                forwarder.outputOffset() + forwarder.outputLength()) : null;
        return verdict;
    }

    @Test
    void flowsLeaveFromTheOwnAddressAndRepliesToItLeaveAsTheVip() throws Exception {
        forwarder.configure(List.of(new PassthroughFrontend("web", InetAddress.getByName(VIP), 80, List.of(S1),
                new TestScheduler(List.of(S1)), Delivery.PASSTHROUGH, InetAddress.getByName(OWN))));
        byte[][] out = new byte[1][];

        assertThat(process(FrameBuilder.tcp(CLIENT, 40000, VIP, 80).flags(SYN), out))
                .isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(out[0]).isEqualTo(FrameBuilder.tcp(OWN, 40000, "10.0.1.1", 8080).flags(SYN).ttl(63).ipPacket());

        assertThat(process(FrameBuilder.tcp("10.0.1.1", 8080, OWN, 40000).flags(SYN | ACK).seq(5000).ack(1001), out))
                .isEqualTo(Verdict.FORWARD_TO_CLIENT);
        assertThat(out[0]).isEqualTo(FrameBuilder.tcp(VIP, 80, CLIENT, 40000).flags(SYN | ACK).seq(5000).ack(1001)
                .ttl(63).ipPacket());
        assertThat(forwarder.outputDestination()).isEqualTo(FrameBuilder.ip(CLIENT));

        assertThat(process(FrameBuilder.tcp("10.0.1.1", 8080, VIP, 40000).flags(ACK).seq(5001).ack(1001), out))
                .as("a reply to the VIP belongs to no flow that left from the own address")
                .isEqualTo(Verdict.DROP_NO_FLOW);
    }

    @Test
    void ipv6FlowsLeaveFromTheOwnIpv6Address() throws Exception {
        ServerRef server = ServerRef.of("s6", InetAddress.getByName("2001:db8:b::1"), 8080);
        forwarder.configure(List.of(new PassthroughFrontend("web6", InetAddress.getByName("2001:db8:a::10"), 80,
                List.of(server), new TestScheduler(List.of(server)), Delivery.PASSTHROUGH,
                InetAddress.getByName("2001:db8:b::100"))));
        byte[][] out = new byte[1][];

        assertThat(process(FrameBuilder.tcp6("2001:db8:c::5", 40000, "2001:db8:a::10", 80).flags(SYN), out))
                .isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(out[0]).isEqualTo(FrameBuilder.tcp6("2001:db8:b::100", 40000, "2001:db8:b::1", 8080).flags(SYN)
                .ttl(63).ipPacket());
        assertThat(process(FrameBuilder.tcp6("2001:db8:b::1", 8080, "2001:db8:b::100", 40000).flags(SYN | ACK)
                .seq(5000).ack(1001), out)).isEqualTo(Verdict.FORWARD_TO_CLIENT);
        assertThat(out[0]).isEqualTo(FrameBuilder.tcp6("2001:db8:a::10", 80, "2001:db8:c::5", 40000)
                .flags(SYN | ACK).seq(5000).ack(1001).ttl(63).ipPacket());
    }

    @Test
    void theCaptureFilterAndTheFirewallRulesTakeTheRepliesToTheOwnAddress() throws Exception {
        List<PassthroughFrontend> frontends = List.of(new PassthroughFrontend("web", InetAddress.getByName(VIP), 80,
                List.of(S1), new TestScheduler(List.of(S1)), Delivery.PASSTHROUGH, InetAddress.getByName(OWN)));
        assertThat(CaptureFilter.forWorker(frontends, 0, 1)).isEqualTo("tcp and ((dst host 10.0.0.10 and dst port 80)"
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.1.100 and dst portrange 32768-65535))");
        assertThat(FirewallSetup.rulesFor(frontends)).extracting(FirewallSetup.Rule::addCommand).containsExactly(
                "iptables -t raw -A PREROUTING -p tcp -d 10.0.0.10 --dport 80 -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -s 10.0.1.1 --sport 8080 -d 10.0.1.100 --dport 32768:65535 -j DROP");
    }

    @Test
    void aSourceOfTheOtherFamilyIsRefused() {
        assertThatThrownBy(() -> new PassthroughFrontend("web", InetAddress.getByName(VIP), 80, List.of(S1),
                new TestScheduler(List.of(S1)), Delivery.PASSTHROUGH, InetAddress.getByName("2001:db8::1")))
                .hasMessage("source: 2001:db8::1 (expected: an address of the VIP 10.0.0.10's family)");
    }
}
