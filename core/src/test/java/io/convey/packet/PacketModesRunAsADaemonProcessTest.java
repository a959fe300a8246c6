package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packet modes end to end: {@code convey -p} and {@code convey -d} run as processes inside the balancer's
 * network namespace, with real health checks, the firewall rules they manage and their /stats.
 */
class PacketModesRunAsADaemonProcessTest {
    static final int SERVER_PORT = 8080;

    static String config(PacketLab lab, String extraPool) {
        return """
                [frontends.web]
                listen_addr = "%s:80"
                backend = "web"

                [backends.web]
                health_check_interval_ms = 200
                rise = 1
                fall = 2
                %s
                  [backends.web.servers.s1]
                  addr = "%s:%d"
                  weight = 1
                  [backends.web.servers.s2]
                  addr = "%s:%d"
                  weight = 3

                [admin]
                listen_addr = "%s:7000"

                [passthrough]
                workers = 2
                connection_tracker_capacity = 4096
                manage_firewall = true
                manage_offloads = true
                """.formatted(host(lab.vip), extraPool, host(lab.serverIps.get(0)), SERVER_PORT,
                host(lab.serverIps.get(1)), SERVER_PORT, host(lab.balancerIp));
    }

    /** An address as a TOML address's host part: IPv6 in brackets. */
    static String host(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }

    @Test
    void passthroughSpreadsByWeightFollowsHealthAndManagesItsFirewallAndOffloads(@TempDir Path dir) throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).serverPort(SERVER_PORT).balancerAsProcess().start()) {
            lab.namespaces.exec(lab.balancer, "ethtool", "-K", PacketLab.BALANCER_INTERFACE, "gro", "on");
            try (DaemonProcess daemon = DaemonProcess.start(lab.balancer, dir, config(lab, ""), "-p")) {
                passthroughScenario(lab, daemon, dir);
            }
            assertThat(gro(lab)).as("turned on again at exit").isEqualTo("on");
        }
    }

    @Test
    void passthroughOverIpv6WithHealthChecksFromTheVipAndIp6tablesRules(@TempDir Path dir) throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).ipv6().serverPort(SERVER_PORT).balancerAsProcess()
                .start()) {
            try (DaemonProcess daemon = DaemonProcess.start(lab.balancer, dir, config(lab, ""), "-p")) {
                assertThat(lab.namespaces.exec(lab.balancer, "ip6tables", "-t", "raw", "-S", "PREROUTING"))
                        .contains("--dport 80 -j DROP");
                awaitUp(daemon); // the checks leave from the IPv6 VIP, below the flows' ports
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i < 100; i++) {
                    counts.merge(lab.get("/bytes/100").server(), 1, Integer::sum);
                }
                assertWeightsOneToThree(counts);
                String stats = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> stats(lab, dir), x -> true);
                assertThat(stats).as("output %s", daemon.output()).contains("\"capture\":\"ring\"")
                        .containsPattern("\"sent_routed\":[1-9]");
                assertThat(daemon.stop()).isIn(0, 143);
            }
            assertThat(lab.namespaces.exec(lab.balancer, "ip6tables", "-t", "raw", "-S", "PREROUTING"))
                    .as("rules removed at exit").doesNotContain("--dport 80 -j DROP");
        }
    }

    private static void passthroughScenario(PacketLab lab, DaemonProcess daemon, Path dir) throws Exception {
        assertThat(rawRules(lab)).contains("--dport 80 -j DROP");
        assertThat(gro(lab)).as("turned off at start").isEqualTo("off");
        awaitUp(daemon);

        Map<String, Integer> counts = new HashMap<>();
        try {
            for (int i = 0; i < 100; i++) {
                counts.merge(lab.get("/bytes/100").server(), 1, Integer::sum);
            }
        } catch (Exception e) {
            String stats = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> stats(lab, dir), x -> true);
            throw new AssertionError("request failed; stats " + stats + " output " + daemon.output(), e);
        }
        assertWeightsOneToThree(counts);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(stats(lab, dir)).contains("\"mode\":\"passthrough\"").containsPattern("\"total_connections\":1\\d\\d,"));

        assertThat(stats(lab, dir)).contains("\"capture\":\"ring\"");
        assertThat(get(lab, dir, "/metrics")).contains("convey_packet_connections_opened_total")
                .contains("convey_packet_dropped_total{reason=\"malformed\"} 0")
                .contains("convey_packet_dropped_total{reason=\"capture_overflow\"} 0")
                .containsPattern("convey_packet_worker_connections_opened_total\\{worker=\"0\"} \\d+");

        lab.http.get(0).close(); // s1 stops listening: health checks see refusals
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.output().stream()
                .anyMatch(l -> l.contains("server=web/s1") && l.contains("DOWN")));
        // The log line comes from the checker; the workers take the new state a moment later.
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> lab.get("/bytes/100").server().equals("s2"));
        for (int i = 0; i < 20; i++) {
            assertThat(lab.get("/bytes/100").server()).isEqualTo("s2");
        }

        assertThat(daemon.stop()).isIn(0, 143);
        assertThat(rawRules(lab)).as("rules removed at exit").doesNotContain("--dport 80 -j DROP");
    }

    @Test
    void dsrNatWithTheServerSetupTheDaemonPrints(@TempDir Path dir) throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.DSR_NAT).serverPort(SERVER_PORT).balancerAsProcess().start();
                DaemonProcess daemon = DaemonProcess.start(lab.balancer, dir, config(lab, "dsr_method = \"nat\""), "-d")) {
            InetSocketAddress vip = new InetSocketAddress(lab.vip, 80);
            for (String line : DsrServerSetup.commands(Delivery.DSR_NAT, vip,
                    new InetSocketAddress(lab.serverIps.get(0), SERVER_PORT))) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                        assertThat(daemon.output()).as("printed at start").anyMatch(l -> l.contains(line)));
            }
            awaitUp(daemon);
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                counts.merge(lab.get("/bytes/100").server(), 1, Integer::sum);
            }
            assertThat(counts).containsOnlyKeys("s1", "s2");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(stats(lab, dir))
                    .contains("\"mode\":\"dsr\"").contains("\"packets_to_clients\":0"));
            assertThat(daemon.stop()).isIn(0, 143);
        }
    }

    /**
     * 100 flows split by Maglev with weights 1 and 3: s1 gets a quarter (25 expected; 10 to 40 is about 3.5 standard
     * deviations of a binomial either way) and s2 clearly more than s1, so an even split fails.
     */
    private static void assertWeightsOneToThree(Map<String, Integer> counts) {
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(counts.get("s1")).as("weight 1 of 4: %s", counts).isBetween(10, 40);
        assertThat(counts.get("s2")).as("weight 3 of 4: %s", counts).isBetween(60, 90);
    }

    /**
     * DSR l2 with the VIP being the balancer's own interface address: health checks would leave from the VIP, which
     * the servers hold on lo, so none would ever be answered. The daemon refuses to start and says so, at the key's
     * line, with what to do.
     */
    @Test
    void dsrL2WithTheVipAsTheBalancersOnlyAddressIsRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.DSR_L2).serverPort(80).withoutHttpServers().balancerAsProcess()
                .start()) {
            String toml = config(lab, "dsr_method = \"l2\"").replace(host(lab.vip) + ":80", lab.balancerIp + ":80")
                    .replace(":" + SERVER_PORT + "\"", ":80\"");
            DaemonProcess daemon = DaemonProcess.launch(lab.balancer, dir, toml, "-d");
            try (daemon) {
                assertThat(daemon.awaitExit()).isEqualTo(2);
                assertThat(daemon.output()).as("output").anyMatch(l -> l.contains(
                        "convey.toml:2: frontends.web.listen_addr: \"" + lab.balancerIp + ":80\" (expected: an address of"
                        + " the balancer's own on " + PacketLab.BALANCER_INTERFACE + " beside the VIP: dsr_method \"l2\""));
            }
        }
    }

    private static void awaitUp(DaemonProcess daemon) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(daemon.output())
                .anyMatch(l -> l.contains("server=web/s1") && l.contains("UP"))
                .anyMatch(l -> l.contains("server=web/s2") && l.contains("UP")));
    }

    private static String gro(PacketLab lab) throws Exception {
        return lab.namespaces.exec(lab.balancer, "ethtool", "-k", PacketLab.BALANCER_INTERFACE).lines()
                .filter(l -> l.startsWith("generic-receive-offload: ")).findFirst().orElseThrow()
                .substring("generic-receive-offload: ".length()).strip();
    }

    private static String rawRules(PacketLab lab) throws Exception {
        return lab.namespaces.exec(lab.balancer, "iptables", "-t", "raw", "-S", "PREROUTING");
    }

    private static String stats(PacketLab lab, Path dir) throws Exception {
        return get(lab, dir, "/stats");
    }

    /**
     * GET over HTTPS from the client namespace (the admin server listens on the balancer's own address), trusting
     * the certificate the daemon generated in its state directory next to the config.
     */
    static String get(PacketLab lab, Path dir, String path) throws Exception {
        Path cert = dir.resolve(".convey-state/admin-cert.pem");
        javax.net.ssl.SSLContext tls = io.convey.testing.RunningDaemon.trusting(
                io.convey.admin.auth.TlsMaterial.readCertificate(cert));
        return lab.inClient(() -> {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(java.net.InetAddress.getByName(lab.balancerIp), 7000), 5000);
                Socket s = tls.getSocketFactory().createSocket(plain, lab.balancerIp, 7000, true);
                s.setSoTimeout(5000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + host(lab.balancerIp) + ":7000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }
}
