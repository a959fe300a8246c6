package io.convey.announce;

import io.convey.packet.NetNamespaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active/active behind a router, all in network namespaces this class creates and removes ({@link ScaleOutLab}): a
 * router running BIRD with ECMP ({@code merge paths on}, {@code fib_multipath_hash_policy = 1}), a client behind it,
 * two appliances each running Convey (proxy mode) and BIRD with the configuration {@code --print-bgp-setup} gives,
 * and two servers on the appliances' segment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcmpPairOfAppliancesTest {
    static final String VIP = ScaleOutLab.VIP;
    static final String A = ScaleOutLab.A;
    static final String B = ScaleOutLab.B;

    static ScaleOutLab lab;
    /** Configs and the logs of every process; kept when a test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static final Map<String, Process> daemon = new HashMap<>();
    static final Map<String, LabApi> api = new HashMap<>();

    @BeforeAll
    static void buildTheLab() throws Exception {
        lab = ScaleOutLab.ecmp(dir, 1);
        try {
            for (String ns : lab.appliance.values()) {
                // The proxy binds the VIP, so it is a local address; it is announced only from the daemon's devices.
                lab.namespaces.exec(ns, "ip", "address", "add", VIP + "/32", "dev", "lo");
            }
            lab.startPeerEchoServers(8080);
            for (String name : List.of("a", "b")) {
                daemon.put(name, lab.startAppliance(name, applianceConfig(name)));
            }
            lab.awaitBothNextHops();
            for (String name : List.of("a", "b")) {
                LabApi admin = new LabApi(lab.namespaces, lab.appliance.get(name));
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                        admin.login(dir.resolve(name).resolve(".convey-state")));
                api.put(name, admin);
            }
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    /** Appliance b drains with a MED in maintenance; appliance a withdraws. */
    static String applianceConfig(String name) {
        return """
                [frontends.web]
                listen_addr = "%s:80"
                backend = "pool"
                [backends.pool]
                health_check_interval_ms = 300
                rise = 1
                fall = 1
                  [backends.pool.servers.s1]
                  addr = "10.1.0.21:8080"
                  [backends.pool.servers.s2]
                  addr = "10.1.0.22:8080"
                %s
                %s""".formatted(VIP, LabApi.adminSection(), lab.bgpSection(name, name.equals("b") ? "med_drain = 100" : ""));
    }

    static List<String> nextHops() throws IOException {
        return lab.nextHops();
    }

    /** Opens {@code count} connections to the VIP from distinct client ports; counts them per appliance. */
    static Map<String, Integer> connect(int count, int firstPort) throws Exception {
        return NetNamespaces.callIn(lab.client, () -> {
            Map<String, Integer> perAppliance = new HashMap<>();
            for (int i = 0; i < count; i++) {
                try (Socket s = new Socket()) {
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress("10.9.0.2", firstPort + i));
                    s.connect(new InetSocketAddress(VIP, 80), 5000);
                    s.setSoTimeout(5000);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    assertThat(line).as("connection %d answered", i).isNotNull();
                    perAppliance.merge(line.split(" ")[0], 1, Integer::sum);
                }
            }
            return perAppliance;
        });
    }

    static JsonNode announce(String name) throws IOException {
        return api.get(name).get("/api/v1/status").get("announce");
    }

    static void maintenance(String name, boolean on) throws IOException {
        api.get(name).post("/api/v1/maintenance", "{\"on\": " + on + "}");
    }

    @Test
    @Order(1)
    void bothAppliancesAnnounceAndCarryConnectionsFromManyClientPorts() throws Exception {
        assertThat(nextHops()).containsExactlyInAnyOrder(A, B);
        Map<String, Integer> carried = connect(200, 30000);
        System.out.println("200 connections per appliance: " + carried);
        assertThat(carried.keySet()).containsExactlyInAnyOrder(A, B);
        assertThat(carried.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = announce("a");
            assertThat(status.at("/vips/0/vip").asText()).isEqualTo(VIP);
            assertThat(status.at("/vips/0/state").asText()).isEqualTo("announced");
            assertThat(status.at("/vips/0/reason").asText()).isEqualTo("eligible_server");
            assertThat(status.at("/bgp/sessions/0/name").asText()).isEqualTo("router");
            assertThat(status.at("/bgp/sessions/0/info").asText()).startsWith("Established");
        });
        assertThat(api.get("b").getText("/metrics")).contains(
                "convey_vip_announced{reason=\"eligible_server\",state=\"announced\",vip=\"10.99.0.10\"} 1",
                "convey_bgp_session_up{session=\"router\",state=\"Established\"} 1", "convey_maintenance 0");
    }

    @Test
    @Order(2)
    void maintenanceOnOneApplianceWithdrawsItsRouteAndNewConnectionsGoToTheOther() throws Exception {
        maintenance("a", true);
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactly(B));
            assertThat(announce("a").at("/vips/0/state").asText()).isEqualTo("withdrawn");
            assertThat(announce("a").at("/vips/0/reason").asText()).isEqualTo("maintenance");
            assertThat(announce("a").at("/maintenance").asBoolean()).isTrue();
            JsonNode events = api.get("a").get("/api/v1/events/recent?seconds=600").get("events");
            assertThat(events.findValues("data")).anySatisfy(d -> {
                assertThat(d.path("vip").asText()).isEqualTo(VIP);
                assertThat(d.path("state").asText()).isEqualTo("withdrawn");
                assertThat(d.path("reason").asText()).isEqualTo("maintenance");
            });
            assertThat(events.findValuesAsText("type")).contains("maintenance", "announce");
            assertThat(connect(50, 31000)).containsOnlyKeys(B);
        } finally {
            maintenance("a", false);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactlyInAnyOrder(A, B));
    }

    @Test
    @Order(3)
    void whenOnlyOneApplianceLosesItsServersOnlyThatOneWithdraws() throws Exception {
        String a = lab.appliance.get("a");
        List<String[]> rules = List.of(
                new String[] {"OUTPUT", "-d", "10.1.0.21", "-p", "tcp", "--dport", "8080", "-j", "REJECT",
                        "--reject-with", "tcp-reset"},
                new String[] {"OUTPUT", "-d", "10.1.0.22", "-p", "tcp", "--dport", "8080", "-j", "REJECT",
                        "--reject-with", "tcp-reset"});
        for (String[] rule : rules) {
            lab.namespaces.exec(a, concat("iptables", "-I", rule));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactly(B));
            assertThat(announce("a").at("/vips/0/reason").asText()).isEqualTo("no_eligible_server");
            assertThat(announce("b").at("/vips/0/state").asText()).isEqualTo("announced");
            assertThat(connect(50, 32000)).containsOnlyKeys(B);
        } finally {
            for (String[] rule : rules) {
                lab.namespaces.exec(a, concat("iptables", "-D", rule));
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactlyInAnyOrder(A, B));
    }

    @Test
    @Order(4)
    void aFrontendAddedByEditingTheFileIsAnnouncedWithoutTouchingBird() throws Exception {
        String second = "10.99.0.11";
        lab.namespaces.exec(lab.appliance.get("a"), "ip", "address", "add", second + "/32", "dev", "lo");
        Path file = dir.resolve("a").resolve("convey.toml");
        String before = Files.readString(file);
        Files.writeString(file, before + """
                [frontends.second]
                listen_addr = "%s:80"
                backend = "pool"
                """.formatted(second));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lab.nextHops(second)).containsExactly(A));
        } finally {
            Files.writeString(file, before);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lab.nextHops(second)).isEmpty());
        assertThat(nextHops()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    @Order(5)
    void maintenanceWithADrainMedKeepsTheRouteAsAFallbackButTheRouterPrefersTheOther() throws Exception {
        maintenance("b", true);
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactly(A));
            assertThat(announce("b").at("/vips/0/state").asText()).isEqualTo("draining");
            assertThat(announce("b").at("/vips/0/reason").asText()).isEqualTo("maintenance");
            String routes = NetNamespaces.run("birdc", "-s", lab.birdSocket("router").toString(), "show", "route", "for",
                    VIP, "all");
            assertThat(routes).as("b's route is still known to the router, with its MED").contains("via " + B)
                    .contains("via " + A).contains("BGP.med: 100");
            assertThat(connect(50, 34000)).containsOnlyKeys(A);
        } finally {
            maintenance("b", false);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactlyInAnyOrder(A, B));
    }

    @Test
    @Order(6)
    void aDaemonKilledWithSigkillLosesItsRouteWithinSeconds() throws Exception {
        assertThat(nextHops()).containsExactlyInAnyOrder(A, B);
        long start = System.nanoTime();
        daemon.get("a").destroyForcibly(); // SIGKILL: no shutdown hook, no withdrawal of its own
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(nextHops()).containsExactly(B));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("SIGKILL of appliance a: the router's route lost it after " + millis + " ms");
        assertThat(connect(50, 33000)).containsOnlyKeys(B);
    }

    @Test
    @Order(7)
    void aDaemonThatStopsWithdrawsItsVipsFirst() throws Exception {
        Process b = daemon.get("b");
        b.destroy(); // SIGTERM: the normal stop
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nextHops()).isEmpty());
        assertThat(b.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("b-convey.log")))
                .contains("VIP withdrawn vip=10.99.0.10 frontends=[web] reason=\"the daemon is stopping\"");
    }

    private static String[] concat(String first, String second, String[] rest) {
        List<String> all = new ArrayList<>(List.of(first, second));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
