package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The full DSR round trip between real namespaces, for a method whose servers this kernel can set up (nat and
 * l2): requests reach both servers and the answers reach the client without passing the balancer.
 */
abstract class DsrRoundTripTest extends PacketLabScenarios {

    abstract Delivery method();

    abstract int serverPort();

    @Override
    PacketLab configureLab() {
        return new PacketLab(method()).serverPort(serverPort());
    }

    @Test
    @Order(1)
    void requestsReachBothServersAndNothingGoesBackThroughTheBalancer() throws Exception {
        Map<String, Integer> perServer = checkRequestsSpreadOverBothServers();
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
        Download d = checkDownloadIntact(size);
        long rx = d.balancerRxBytes();
        long packets = d.delta(PassthroughCounters::packetsToServers);
        log.info("{}: 100 MiB download: {} s, {} MB/s; balancer received {} bytes, forwarded {} client packets",
                method().id(), String.format("%.2f", d.seconds()), d.megabytesPerSecond(size), rx, packets);
        assertThat(rx).as("bytes the balancer received").isLessThan(size / 10);
        assertThat(packets).as("client acknowledgements forwarded").isGreaterThan(1000);
        assertThat(d.delta(PassthroughCounters::bytesToServers)).isLessThan(100);
        assertThat(d.after().packetsToClients()).isZero();
    }

    /** The balancer resets the down server's flows from what the clients last acknowledged. */
    @Test
    @Order(3)
    void serverDownResetsItsFlowsAndNewConnectionsGoElsewhere() throws Exception {
        long millis = checkServerDownResetsItsFlowsAndNewFlowsGoElsewhere();
        log.info("{}: client of the down server reset after {} ms", method().id(), millis);
    }

    @Test
    @Order(4)
    void flowTableEmptiesAfterTheClientsClose() {
        PassthroughCounters c = checkFlowTableEmptiesAfterConnectionsClose();
        log.info("{}: final counters: {}", method().id(), c);
        assertThat(c.packetsToClients()).isZero();
    }
}
