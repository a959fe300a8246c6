package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    DsrLab lab;

    abstract Delivery method();

    abstract int serverPort();

    @BeforeAll
    void startLab() throws Exception {
        lab = DsrLab.start(method(), serverPort(), true, line -> true);
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
        Map<String, Integer> perServer = new HashMap<>();
        long crc = DsrLab.expectedCrc(1000);
        for (int i = 0; i < 100; i++) {
            DsrLab.Response r = lab.get("/bytes/1000");
            assertThat(r.bytes()).isEqualTo(1000);
            assertThat(r.crc()).isEqualTo(crc);
            perServer.merge(r.server(), 1, Integer::sum);
        }
        assertThat(perServer).containsOnlyKeys("s1", "s2");
        assertThat(perServer.get("s1")).isGreaterThan(20);
        assertThat(perServer.get("s2")).isGreaterThan(20);
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
        DsrLab.Response r = lab.get("/bytes/" + size);
        double seconds = (System.nanoTime() - start) / 1e9;
        long rx = lab.balancerRxBytes() - rxBefore;
        PassthroughCounters after = lab.plane.counters();
        assertThat(r.bytes()).isEqualTo(size);
        assertThat(r.crc()).isEqualTo(DsrLab.expectedCrc(size));
        long packets = after.packetsToServers() - before.packetsToServers();
        log.info("{}: 100 MiB download: {} s, {} MB/s; balancer received {} bytes, forwarded {} client packets",
                method().id(), String.format("%.2f", seconds), String.format("%.1f", size / seconds / 1e6), rx,
                packets);
        assertThat(rx).as("bytes the balancer received").isLessThan(size / 10);
        assertThat(packets).as("client acknowledgements forwarded").isGreaterThan(1000);
        assertThat(after.bytesToServers() - before.bytesToServers()).isLessThan(100);
        assertThat(after.packetsToClients()).isZero();
    }

    @Test
    @Order(3)
    void serverDownResetsItsFlowsAndNewConnectionsGoElsewhere() throws Exception {
        Socket held = null;
        List<Socket> others = new ArrayList<>();
        for (int i = 0; i < 10 && held == null; i++) {
            Socket s = lab.inClient(() -> {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(lab.vip, DsrLab.VIP_PORT), 5000);
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write("GET /hold HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return socket;
            });
            String head = TinyHttpServer.readHead(s.getInputStream());
            if (head.contains("X-Server: s1")) {
                held = s;
            } else {
                others.add(s);
            }
        }
        assertThat(held).as("a held connection on s1").isNotNull();

        // s1 vanishes without a word and the health check notices; the balancer resets its flows from what
        // the clients last acknowledged.
        lab.namespaces.exec(lab.serverNs.get(0), "ip", "link", "set", "vs1", "down");
        lab.scheduler.markDown(lab.refs.get(0));
        long start = System.nanoTime();
        Socket victim = held;
        assertThatThrownBy(() -> victim.getInputStream().read())
                .isInstanceOf(SocketException.class)
                .isNotInstanceOf(SocketTimeoutException.class);
        log.info("{}: client of the down server reset after {} ms", method().id(),
                (System.nanoTime() - start) / 1_000_000);
        victim.close();

        for (int i = 0; i < 10; i++) {
            assertThat(lab.get("/bytes/100").server()).isEqualTo("s2");
        }
        for (Socket s : others) {
            s.close();
        }
    }

    @Test
    @Order(4)
    void flowTableEmptiesAfterTheClientsClose() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            PassthroughCounters c = lab.plane.counters();
            assertThat(c.activeFlows()).isZero();
            assertThat(c.connectionsClosed()).isEqualTo(c.connectionsOpened());
        });
        PassthroughCounters c = lab.plane.counters();
        log.info("{}: final counters: {}", method().id(), c);
        assertThat(c.dropped(DropReason.BAD_CHECKSUM)).isZero();
        assertThat(c.dropped(DropReason.MALFORMED)).isZero();
        assertThat(c.dropped(DropReason.SEND_FAILED)).isZero();
        assertThat(c.packetsToClients()).isZero();
    }
}
