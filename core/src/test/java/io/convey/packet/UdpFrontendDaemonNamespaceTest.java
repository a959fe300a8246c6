package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code protocol = "udp"} frontend in {@code convey -p}, run as a process in the balancer's namespace: datagrams
 * go through to both servers and back, the firewall rules it manages are UDP's, and the UDP counters are in /stats
 * and /metrics. The servers also listen on TCP 5353, which the pool's TCP health checks probe.
 */
class UdpFrontendDaemonNamespaceTest {

    static String config(PacketLab lab) {
        return """
                [frontends.dns]
                listen_addr = "%s:53"
                backend = "dns"
                protocol = "udp"
                udp_idle_timeout_s = 10

                [backends.dns]
                health_check_interval_ms = 200
                rise = 1
                fall = 2
                  [backends.dns.servers.s1]
                  addr = "%s:5353"
                  [backends.dns.servers.s2]
                  addr = "%s:5353"

                [admin]
                listen_addr = "%s:7000"

                [passthrough]
                workers = 2
                manage_firewall = true
                """.formatted(lab.vip, lab.serverIps.get(0), lab.serverIps.get(1), lab.balancerIp);
    }

    @Test
    void datagramsGoThroughAndAreCountedInStatsAndMetrics(@TempDir Path dir) throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).serverPort(5353).udp().balancerAsProcess().start();
                DaemonProcess daemon = DaemonProcess.start(lab.balancer, dir, config(lab), "-p")) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(daemon.output())
                    .anyMatch(l -> l.contains("server=dns/s1") && l.contains("UP"))
                    .anyMatch(l -> l.contains("server=dns/s2") && l.contains("UP")));
            assertThat(lab.namespaces.exec(lab.balancer, "iptables", "-t", "raw", "-S", "PREROUTING"))
                    .contains("-p udp -m udp --dport 53 -j DROP");

            Map<String, Integer> perServer = UdpThroughPacketModesNamespaceTest.exchanges(lab);

            assertThat(perServer).containsOnlyKeys("s1", "s2");

            // a TLS handshake each time, on a busy machine: give it time
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                    PacketModesRunAsADaemonProcessTest.get(lab, dir, "/stats"))
                    .containsPattern("\"udp_flows_opened\":40\\b")
                    .containsPattern("\"udp_datagrams_to_servers\":([4-9]\\d|\\d{3,})\\b")
                    .containsPattern("\"udp_datagrams_to_clients\":([4-9]\\d|\\d{3,})\\b")
                    .contains("\"udp_dropped_malformed\":0"));
            assertThat(PacketModesRunAsADaemonProcessTest.get(lab, dir, "/metrics"))
                    .contains("# HELP convey_packet_udp_datagrams_to_servers_total")
                    .containsPattern("convey_packet_udp_flows_opened_total 40(\\.0)?\\b")
                    .containsPattern("convey_packet_udp_bytes_to_clients_total [1-9]");
            assertThat(daemon.stop()).isIn(0, 143);
        }
    }
}
