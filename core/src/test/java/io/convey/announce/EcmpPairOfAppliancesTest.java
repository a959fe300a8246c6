package io.convey.announce;

import io.convey.packet.NetNamespaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.config.ConfigLoader;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active/active behind a router, all in network namespaces this class creates and removes: a router running BIRD
 * with ECMP ({@code merge paths on}, {@code fib_multipath_hash_policy = 1}), a client behind it, two appliances
 * each running Convey (proxy mode) and BIRD with the configuration {@code --print-bgp-setup} gives, and two
 * servers on the appliances' segment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcmpPairOfAppliancesTest {
    static final String VIP = "10.99.0.10";
    static final String A = "10.1.0.11";
    static final String B = "10.1.0.12";
    private static final Pattern VIA = Pattern.compile("via (\\S+)");

    static NetNamespaces lab;
    /** Configs and the logs of every process; kept when a test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static String router;
    static String client;
    static final Map<String, String> appliance = new HashMap<>();
    static final Map<String, Process> daemon = new HashMap<>();
    static final Map<String, LabApi> api = new HashMap<>();

    @BeforeAll
    static void buildTheLab() throws Exception {
        lab = new NetNamespaces();
        try {
            router = lab.create("r");
            client = lab.create("c");
            String lan = lab.create("lan");
            String a = lab.create("a");
            String b = lab.create("b");
            String servers = lab.create("srv");
            lab.exec(lan, "ip", "link", "add", "br0", "type", "bridge");
            lab.exec(lan, "ip", "link", "set", "br0", "up");
            Map<String, String> lanAddresses = new java.util.LinkedHashMap<>();
            lanAddresses.put(router, "10.1.0.1/24");
            lanAddresses.put(a, A + "/24");
            lanAddresses.put(b, B + "/24");
            lanAddresses.put(servers, "10.1.0.21/24");
            int port = 0;
            for (var e : lanAddresses.entrySet()) {
                String peer = "p" + port++;
                lab.exec(lan, "ip", "link", "add", peer, "type", "veth", "peer", "name", "eth0", "netns", e.getKey());
                lab.exec(lan, "ip", "link", "set", peer, "master", "br0", "up");
                lab.exec(e.getKey(), "ip", "address", "add", e.getValue(), "dev", "eth0");
                lab.exec(e.getKey(), "ip", "link", "set", "eth0", "up");
            }
            lab.exec(servers, "ip", "address", "add", "10.1.0.22/24", "dev", "eth0");
            lab.exec(router, "ip", "link", "add", "cl", "type", "veth", "peer", "name", "eth0", "netns", client);
            lab.exec(router, "ip", "address", "add", "10.9.0.1/24", "dev", "cl");
            lab.exec(router, "ip", "link", "set", "cl", "up");
            lab.exec(client, "ip", "address", "add", "10.9.0.2/24", "dev", "eth0");
            lab.exec(client, "ip", "link", "set", "eth0", "up");
            lab.exec(client, "ip", "route", "add", "default", "via", "10.9.0.1");
            lab.exec(router, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.fib_multipath_hash_policy=1");
            for (String app : List.of(a, b)) {
                lab.exec(app, "ip", "route", "add", "default", "via", "10.1.0.1");
                // The proxy binds the VIP, so it is a local address; it is announced only from the daemon's devices.
                lab.exec(app, "ip", "address", "add", VIP + "/32", "dev", "lo");
            }
            for (String s : List.of("10.1.0.21", "10.1.0.22")) {
                lab.spawn(servers, dir.resolve("servers.log"), "socat", "TCP-LISTEN:8080,bind=" + s + ",fork,reuseaddr",
                        "SYSTEM:echo $SOCAT_PEERADDR " + s);
            }
            bird(router, "router", routerBird());
            appliance.put("a", a);
            appliance.put("b", b);
            for (String name : List.of("a", "b")) {
                String toml = applianceConfig(name.equals("a") ? A : B);
                Files.createDirectories(dir.resolve(name));
                Files.writeString(dir.resolve(name).resolve("convey.toml"), toml);
                bird(appliance.get(name), name, BirdSetup.config(ConfigLoader.parse(toml, name + ".toml").config()
                        .orElseThrow()));
                startDaemon(name);
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(nextHops()).containsExactlyInAnyOrder(A, B));
            for (String name : List.of("a", "b")) {
                LabApi admin = new LabApi(lab, appliance.get(name));
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

    static void startDaemon(String name) throws IOException {
        Path log = dir.resolve(name + "-convey.log");
        daemon.put(name, lab.spawn(appliance.get(name), log, Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.convey.Main", "--config=" + dir.resolve(name).resolve("convey.toml")));
    }

    static void bird(String ns, String name, String config) throws IOException {
        Path conf = dir.resolve(name + "-bird.conf");
        Files.writeString(conf, config);
        lab.spawn(ns, dir.resolve(name + "-bird.log"), "bird", "-f", "-c", conf.toString(), "-s",
                dir.resolve(name + "-bird.ctl").toString(), "-P", dir.resolve(name + "-bird.pid").toString());
    }

    static String routerBird() {
        return """
                log stderr all;
                router id 10.1.0.1;
                protocol device { scan time 10; }
                protocol kernel {
                  ipv4 { import none; export all; };
                  merge paths on;
                }
                protocol bgp a { local as 65000; neighbor %s as 65001; hold time 3; ipv4 { import all; export none; }; }
                protocol bgp b { local as 65000; neighbor %s as 65001; hold time 3; ipv4 { import all; export none; }; }
                """.formatted(A, B);
    }

    /** Appliance b drains with a MED in maintenance; appliance a withdraws. */
    static String applianceConfig(String self) {
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
                [bgp]
                local_as = 65001
                router_id = "%s"
                hold_time_s = 3
                control_socket = "%s"
                %s
                  [bgp.peers.router]
                  address = "10.1.0.1"
                  remote_as = 65000
                """.formatted(VIP, LabApi.adminSection(), self, dir.resolve((self.equals(A) ? "a" : "b") + "-bird.ctl"),
                self.equals(B) ? "med_drain = 100" : "");
    }

    /** The router's next hops for the VIP, as its kernel holds them. */
    static List<String> nextHops() throws IOException {
        String route = NetNamespaces.run("ip", "netns", "exec", router, "ip", "route", "show", VIP + "/32");
        List<String> hops = new ArrayList<>();
        Matcher m = VIA.matcher(route);
        while (m.find()) {
            hops.add(m.group(1));
        }
        return hops;
    }

    /** Opens {@code count} connections to the VIP from distinct client ports; counts them per appliance. */
    static Map<String, Integer> connect(int count, int firstPort) throws Exception {
        return NetNamespaces.callIn(client, () -> {
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
        String a = appliance.get("a");
        List<String[]> rules = List.of(
                new String[] {"OUTPUT", "-d", "10.1.0.21", "-p", "tcp", "--dport", "8080", "-j", "REJECT",
                        "--reject-with", "tcp-reset"},
                new String[] {"OUTPUT", "-d", "10.1.0.22", "-p", "tcp", "--dport", "8080", "-j", "REJECT",
                        "--reject-with", "tcp-reset"});
        for (String[] rule : rules) {
            lab.exec(a, concat("iptables", "-I", rule));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactly(B));
            assertThat(announce("a").at("/vips/0/reason").asText()).isEqualTo("no_eligible_server");
            assertThat(announce("b").at("/vips/0/state").asText()).isEqualTo("announced");
            assertThat(connect(50, 32000)).containsOnlyKeys(B);
        } finally {
            for (String[] rule : rules) {
                lab.exec(a, concat("iptables", "-D", rule));
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nextHops()).containsExactlyInAnyOrder(A, B));
    }

    @Test
    @Order(4)
    void aFrontendAddedByEditingTheFileIsAnnouncedWithoutTouchingBird() throws Exception {
        String second = "10.99.0.11";
        lab.exec(appliance.get("a"), "ip", "address", "add", second + "/32", "dev", "lo");
        Path file = dir.resolve("a").resolve("convey.toml");
        String before = Files.readString(file);
        Files.writeString(file, before + """
                [frontends.second]
                listen_addr = "%s:80"
                backend = "pool"
                """.formatted(second));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(NetNamespaces.run("ip", "netns", "exec", router,
                    "ip", "route", "show", second + "/32")).contains("via " + A));
        } finally {
            Files.writeString(file, before);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(NetNamespaces.run("ip", "netns", "exec", router,
                "ip", "route", "show", second + "/32")).isBlank());
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
            String routes = NetNamespaces.run("birdc", "-s", dir.resolve("router-bird.ctl").toString(), "show", "route", "for",
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
