package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios every packet mode passes in a {@link PacketLab} with its data plane in process; the mode's tests
 * run them and add what is particular to the mode.
 */
final class PacketScenarios {

    private PacketScenarios() {}

    /** 100 intact GETs of 1000 bytes through the VIP, more than 20 on each server; returns the count per server. */
    static Map<String, Integer> requestsSpreadOverBothServers(PacketLab lab) throws Exception {
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
    static long serverDownResetsItsFlowsAndNewFlowsGoElsewhere(PacketLab lab) throws Exception {
        Socket held = null;
        List<Socket> others = new ArrayList<>();
        for (int i = 0; i < 10 && held == null; i++) {
            Socket s = lab.hold();
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
    static PassthroughCounters flowTableEmptiesAfterConnectionsClose(PacketLab lab) {
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
}
