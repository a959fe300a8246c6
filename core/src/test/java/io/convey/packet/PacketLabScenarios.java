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
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ordered tests of one packet mode in one {@link PacketLab} with the data plane in process, started before the
 * first test and closed after the last; the checks here are the ones every mode passes, the subclasses add what is
 * particular to theirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PacketLabScenarios {
    final Logger log = LoggerFactory.getLogger(getClass());
    PacketLab lab;

    /** The lab the tests run in, configured but not started. */
    abstract PacketLab configureLab();

    @BeforeAll
    void startLab() throws Exception {
        lab = configureLab().start();
    }

    @AfterAll
    void closeLab() {
        if (lab != null) {
            lab.close(); // the firewall rules go with the balancer's namespace
        }
    }

    /** What one download took: its time, the counters around it and the bytes the balancer's interface received. */
    record Download(double seconds, PassthroughCounters before, PassthroughCounters after, long balancerRxBytes) {

        /** How much a counter grew during the download. */
        long delta(ToLongFunction<PassthroughCounters> counter) {
            return counter.applyAsLong(after) - counter.applyAsLong(before);
        }

        /** Megabytes (10^6) per second for {@code size} bytes. */
        String megabytesPerSecond(long size) {
            return String.format("%.1f", size / seconds / 1e6);
        }
    }

    /** GETs {@code size} bytes through the VIP and checks that they arrive intact. */
    Download checkDownloadIntact(long size) throws Exception {
        PassthroughCounters before = lab.plane.counters();
        long rxBefore = lab.balancerRxBytes();
        long start = System.nanoTime();
        PacketLab.Response r = lab.get("/bytes/" + size);
        double seconds = (System.nanoTime() - start) / 1e9;
        long rx = lab.balancerRxBytes() - rxBefore;
        PassthroughCounters after = lab.plane.counters();
        assertThat(r.bytes()).isEqualTo(size);
        assertThat(r.crc()).isEqualTo(PacketLab.expectedCrc(size));
        return new Download(seconds, before, after, rx);
    }

    /** 100 intact GETs of 1000 bytes through the VIP, more than 20 on each server; returns the count per server. */
    Map<String, Integer> checkRequestsSpreadOverBothServers() throws Exception {
        Map<String, Integer> perServer = new HashMap<>();
        long crc = PacketLab.expectedCrc(1000);
        for (int i = 0; i < 100; i++) {
            PacketLab.Response r = lab.get("/bytes/1000");
            assertThat(r.bytes()).isEqualTo(1000);
            assertThat(r.crc()).isEqualTo(crc);
            perServer.merge(r.server(), 1, Integer::sum);
        }
        assertThat(perServer).containsOnlyKeys("s1", "s2");
        assertThat(perServer.get("s1")).isGreaterThan(20);
        assertThat(perServer.get("s2")).isGreaterThan(20);
        return perServer;
    }

    /**
     * A connection held on s1 is reset (not timed out) once s1 goes down, and the next 10 requests go to s2; returns
     * the milliseconds the reset took.
     */
    long checkServerDownResetsItsFlowsAndNewFlowsGoElsewhere() throws Exception {
        Socket held = null;
        List<Socket> others = new ArrayList<>();
        for (int i = 0; i < 10 && held == null; i++) {
            Socket s = hold();
            if (TinyHttpServer.readHead(s.getInputStream()).contains("X-Server: s1")) {
                held = s;
            } else {
                others.add(s);
            }
        }
        assertThat(held).as("a held connection on s1").isNotNull();

        lab.takeDown(0);
        long start = System.nanoTime();
        Socket victim = held;
        assertThatThrownBy(() -> victim.getInputStream().read())
                .isInstanceOf(SocketException.class)
                .isNotInstanceOf(SocketTimeoutException.class);
        long resetMillis = (System.nanoTime() - start) / 1_000_000;
        victim.close();

        for (int i = 0; i < 10; i++) {
            assertThat(lab.get("/bytes/100").server()).isEqualTo("s2");
        }
        for (Socket s : others) {
            s.close();
        }
        return resetMillis;
    }

    /**
     * Within 15 s no flow is left and every opened connection is closed, with no drop for a bad checksum, a
     * malformed frame or a failed send; returns the final counters.
     */
    PassthroughCounters checkFlowTableEmptiesAfterConnectionsClose() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            PassthroughCounters c = lab.plane.counters();
            assertThat(c.activeFlows()).isZero();
            assertThat(c.connectionsClosed()).isEqualTo(c.connectionsOpened());
        });
        PassthroughCounters c = lab.plane.counters();
        assertThat(c.dropped(DropReason.BAD_CHECKSUM)).isZero();
        assertThat(c.dropped(DropReason.MALFORMED)).isZero();
        assertThat(c.dropped(DropReason.SEND_FAILED)).isZero();
        return c;
    }

    /** Connects from the client namespace and sends {@code GET /hold}; the caller reads the head and closes. */
    private Socket hold() throws Exception {
        return lab.inClient(() -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(lab.vip, PacketLab.VIP_PORT), 5000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("GET /hold HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return socket;
        });
    }
}
