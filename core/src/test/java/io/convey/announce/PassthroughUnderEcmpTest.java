package io.convey.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.packet.NetNamespaces;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passthrough (NAT) under ECMP, in the namespaces of {@link ScaleOutLab}: both appliances announce the VIP and run
 * Convey {@code -p} with {@code [passthrough] source_addr} set to their own address, so the servers' replies go
 * back to the appliance holding the flow (never through the router's hash), which sends them on to the client as
 * the VIP. Connections from many client ports, spread by the router over both appliances, all complete.
 */
class PassthroughUnderEcmpTest {
    static final String VIP = ScaleOutLab.VIP;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void connectionsFromManyClientPortsCompleteThroughBothAppliances() throws Exception {
        try (ScaleOutLab lab = ScaleOutLab.ecmp(dir, 1)) {
            lab.startPeerEchoServers(8080); // the answer names the address it came from: the appliance's source_addr
            for (String name : List.of("a", "b")) {
                // the capture interface holds the VIP, beside the appliance's own address
                lab.namespaces.exec(lab.appliance.get(name), "ip", "address", "add", VIP + "/32", "dev", "eth0");
                lab.startAppliance(name, config(lab, name), "-p");
            }
            lab.awaitBothNextHops();

            Map<String, Integer> carried = NetNamespaces.callIn(lab.client, () -> connect(200, 30000));
            System.out.println("passthrough under ECMP, 200 connections per appliance: " + carried);
            assertThat(carried.keySet()).as("each reply came from an appliance's own address")
                    .containsExactlyInAnyOrder(ScaleOutLab.A, ScaleOutLab.B);
            assertThat(carried.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
            assertThat(lab.nextHops()).containsExactlyInAnyOrder(ScaleOutLab.A, ScaleOutLab.B);
            for (String name : List.of("a", "b")) {
                LabApi api = new LabApi(lab.namespaces, lab.appliance.get(name));
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                        api.login(dir.resolve(name).resolve(".convey-state")));
                assertThat(api.get("/api/v1/status").at("/announce/vips/0/state").asText()).isEqualTo("announced");
                int expected = carried.get(ScaleOutLab.address(name));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.getText("/metrics"))
                        .as("appliance %s opened one flow per connection it carried", name)
                        .containsPattern("(?m)^convey_packet_connections_opened_total " + expected + "(\\.0)?$"));
            }
            // a reload while the VIP is announced: it is then on the capture interface and on convey-vip too, and the
            // frontends' interface check must still find the capture interface
            Path file = dir.resolve("a").resolve("convey.toml");
            java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file)
                    .replace("health_check_interval_ms = 300", "health_check_interval_ms = 400"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(java.nio.file.Files.readString(
                    dir.resolve("a-convey.log"))).contains("config applied version=2"));
            assertThat(java.nio.file.Files.readString(dir.resolve("a-convey.log"))).doesNotContain("config rejected");
            assertThat(NetNamespaces.callIn(lab.client, () -> connect(20, 31000)).values().stream()
                    .mapToInt(Integer::intValue).sum()).isEqualTo(20);
        }
    }

    /** Opens {@code count} connections to the VIP from distinct client ports; counts the answers per appliance. */
    private static Map<String, Integer> connect(int count, int firstPort) throws Exception {
        Map<String, Integer> perAppliance = new HashMap<>();
        for (int i = 0; i < count; i++) {
            try (Socket s = new Socket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(ScaleOutLab.CLIENT, firstPort + i));
                s.connect(new InetSocketAddress(VIP, 80), 5000);
                s.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (line == null) {
                    throw new java.io.IOException("connection " + i + " from port " + (firstPort + i) + ": no answer");
                }
                perAppliance.merge(line.split(" ")[0], 1, Integer::sum);
            }
        }
        return perAppliance;
    }

    private static String config(ScaleOutLab lab, String name) {
        return """
                [frontends.web]
                listen_addr = "%s:80"
                backend = "pool"
                [backends.pool]
                health_check_interval_ms = 300
                rise = 1
                fall = 2
                  [backends.pool.servers.s1]
                  addr = "10.1.0.21:8080"
                  [backends.pool.servers.s2]
                  addr = "10.1.0.22:8080"
                %s
                [passthrough]
                workers = 1
                manage_firewall = true
                source_addr = "%s"
                %s""".formatted(VIP, LabApi.adminSection(), ScaleOutLab.address(name), lab.bgpSection(name, ""));
    }
}
