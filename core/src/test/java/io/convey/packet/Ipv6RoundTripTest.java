package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A packet mode over IPv6 between real namespaces ({@link PacketLab} with a random fd00:x:y::/64 that exists only
 * inside them). The kernel's resets are held back by ip6tables rules that {@link FirewallSetup} installs; DSR servers
 * run the commands {@link DsrServerSetup} prints.
 */
abstract class Ipv6RoundTripTest extends PacketLabScenarios {

    abstract Delivery delivery();

    /** How the data plane captures; asked for explicitly, so that a failing ring cannot hide behind the fallback. */
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.RING;
    }

    @Override
    PacketLab configureLab() {
        return new PacketLab(delivery()).ipv6().capture(capture());
    }

    @BeforeAll
    void checkFirewallAndCapture() throws Exception {
        assertThat(lab.firewallRules).allMatch(FirewallSetup.Rule::ipv6);
        assertThat(lab.firewall.missing(lab.firewallRules)).isEmpty();
        assertThat(lab.namespaces.exec(lab.balancer, "ip6tables", "-t", "raw", "-S", "PREROUTING"))
                .contains("-A PREROUTING -d " + lab.vip + "/128 -p tcp -m tcp --dport 80 -j DROP");
        assertThat(lab.plane.capture()).isEqualTo(capture().name().toLowerCase(Locale.ROOT));
    }

    @Test
    @Order(1)
    void requestsThroughTheIpv6VipSpreadOverBothServers() throws Exception {
        Map<String, Integer> perServer = checkRequestsSpreadOverBothServers();
        PassthroughCounters c = lab.plane.counters();
        log.info("{} over IPv6, 100 requests: perServer={} counters={}", delivery().id(), perServer, c);
        assertThat(c.connectionsOpened()).isGreaterThanOrEqualTo(100);
        assertThat(c.sentAsFrames()).as("IPv6 leaves routed").isZero();
        if (delivery().isDsr()) {
            assertThat(c.packetsToClients()).as("servers answer the clients directly").isZero();
        }
        // (the worker may be between counting a packet and sending it when the counters are read)
        assertThat(c.sentRouted()).isCloseTo(c.packetsToServers() + c.packetsToClients() + c.resetsSent(),
                within(16L));
    }

    @Test
    @Order(2)
    void downloads10MegabytesIntact() throws Exception {
        long size = 10L * 1024 * 1024;
        Download d = checkDownloadIntact(size);
        if (delivery().isDsr()) {
            assertThat(d.after().bytesToClients()).as("the download bypassed the balancer").isZero();
            assertThat(d.delta(PassthroughCounters::packetsToServers)).as("client acknowledgements forwarded")
                    .isGreaterThan(100);
        } else {
            assertThat(d.delta(PassthroughCounters::bytesToClients)).isGreaterThanOrEqualTo(size);
        }
    }

    @Test
    @Order(3)
    void flowTableEmptiesAfterConnectionsClose() {
        PassthroughCounters c = checkFlowTableEmptiesAfterConnectionsClose();
        log.info("{} over IPv6, final counters: {}", delivery().id(), c);
    }
}
