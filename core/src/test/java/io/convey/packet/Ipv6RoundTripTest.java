package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet mode over IPv6 between real namespaces ({@link PacketLab} with a random fd00:x:y::/64 that exists only
 * inside them). The kernel's resets are held back by ip6tables rules that {@link FirewallSetup} installs; DSR servers
 * run the commands {@link DsrServerSetup} prints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Ipv6RoundTripTest {
    private final Logger log = LoggerFactory.getLogger(getClass());
    PacketLab lab;

    abstract Delivery delivery();

    /** How the data plane captures; asked for explicitly, so that a failing ring cannot hide behind the fallback. */
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.RING;
    }

    @BeforeAll
    void buildTopology() throws Exception {
        lab = new PacketLab(delivery()).ipv6().capture(capture()).start();
        assertThat(lab.firewallRules).allMatch(FirewallSetup.Rule::ipv6);
        assertThat(lab.firewall.missing(lab.firewallRules)).isEmpty();
        assertThat(lab.namespaces.exec(lab.balancer, "ip6tables", "-t", "raw", "-S", "PREROUTING"))
                .contains("-A PREROUTING -d " + lab.vip + "/128 -p tcp -m tcp --dport 80 -j DROP");
        assertThat(lab.plane.capture()).isEqualTo(capture().name().toLowerCase(Locale.ROOT));
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close(); // the rules go with the balancer's namespace
        }
    }

    @Test
    @Order(1)
    void requestsThroughTheIpv6VipSpreadOverBothServers() throws Exception {
        Map<String, Integer> perServer = PacketScenarios.requestsSpreadOverBothServers(lab);
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
        PassthroughCounters before = lab.plane.counters();
        PacketLab.Response r = lab.get("/bytes/" + size);
        assertThat(r.bytes()).isEqualTo(size);
        assertThat(r.crc()).isEqualTo(PacketLab.expectedCrc(size));
        PassthroughCounters after = lab.plane.counters();
        if (delivery().isDsr()) {
            assertThat(after.bytesToClients()).as("the download bypassed the balancer").isZero();
            assertThat(after.packetsToServers() - before.packetsToServers()).as("client acknowledgements forwarded")
                    .isGreaterThan(100);
        } else {
            assertThat(after.bytesToClients() - before.bytesToClients()).isGreaterThanOrEqualTo(size);
        }
    }

    @Test
    @Order(3)
    void flowTableEmptiesAfterConnectionsClose() {
        PassthroughCounters c = PacketScenarios.flowTableEmptiesAfterConnectionsClose(lab);
        log.info("{} over IPv6, final counters: {}", delivery().id(), c);
    }
}
