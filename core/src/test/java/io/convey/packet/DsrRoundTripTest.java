package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The full DSR round trip between real namespaces, for a method whose servers this kernel can set up (nat and
 * l2): requests reach both servers and the answers reach the client without passing the balancer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DsrRoundTripTest {
    private final Logger log = LoggerFactory.getLogger(getClass());
    PacketLab lab;

    abstract Delivery method();

    abstract int serverPort();

    @BeforeAll
    void startLab() throws Exception {
        lab = new PacketLab(method()).serverPort(serverPort()).start();
    }

    @AfterAll
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void requestsReachBothServersAndNothingGoesBackThroughTheBalancer() throws Exception {
        Map<String, Integer> perServer = PacketScenarios.requestsSpreadOverBothServers(lab);
        PassthroughCounters c = lab.plane.counters();
        log.info("{}: 100 requests: perServer={} counters={}", method().id(), perServer, c);
        assertThat(c.connectionsOpened()).isGreaterThanOrEqualTo(100);
        assertThat(c.packetsToServers()).isGreaterThanOrEqualTo(300);
        assertThat(c.packetsToClients()).isZero();
        assertThat(c.bytesToClients()).isZero();
        assertThat(c.resetsSent()).isZero();
    }

    @Test
    @Order(2)
    void downloads100MegabytesIntactWhileTheBalancerSeesOnlyTheClientSide() throws Exception {
        long size = 100L * 1024 * 1024;
        PassthroughCounters before = lab.plane.counters();
        long rxBefore = lab.balancerRxBytes();
        long start = System.nanoTime();
        PacketLab.Response r = lab.get("/bytes/" + size);
        double seconds = (System.nanoTime() - start) / 1e9;
        long rx = lab.balancerRxBytes() - rxBefore;
        PassthroughCounters after = lab.plane.counters();
        assertThat(r.bytes()).isEqualTo(size);
        assertThat(r.crc()).isEqualTo(PacketLab.expectedCrc(size));
        long packets = after.packetsToServers() - before.packetsToServers();
        log.info("{}: 100 MiB download: {} s, {} MB/s; balancer received {} bytes, forwarded {} client packets",
                method().id(), String.format("%.2f", seconds), String.format("%.1f", size / seconds / 1e6), rx,
                packets);
        assertThat(rx).as("bytes the balancer received").isLessThan(size / 10);
        assertThat(packets).as("client acknowledgements forwarded").isGreaterThan(1000);
        assertThat(after.bytesToServers() - before.bytesToServers()).isLessThan(100);
        assertThat(after.packetsToClients()).isZero();
    }

    /** The balancer resets the down server's flows from what the clients last acknowledged. */
    @Test
    @Order(3)
    void serverDownResetsItsFlowsAndNewConnectionsGoElsewhere() throws Exception {
        long millis = PacketScenarios.serverDownResetsItsFlowsAndNewFlowsGoElsewhere(lab);
        log.info("{}: client of the down server reset after {} ms", method().id(), millis);
    }

    @Test
    @Order(4)
    void flowTableEmptiesAfterTheClientsClose() {
        PassthroughCounters c = PacketScenarios.flowTableEmptiesAfterConnectionsClose(lab);
        log.info("{}: final counters: {}", method().id(), c);
        assertThat(c.packetsToClients()).isZero();
    }
}
