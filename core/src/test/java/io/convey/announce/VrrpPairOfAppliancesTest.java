package io.convey.announce;

import io.convey.packet.NetNamespaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active/standby in network namespaces this class creates and removes: two appliances on one segment, each running
 * Convey (proxy mode) and keepalived with the configuration {@code --print-keepalived} gives, two servers and a
 * client on the same segment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VrrpPairOfAppliancesTest {
    static final String VIP = "10.2.0.100";
    static final String A = "10.2.0.11";
    static final String B = "10.2.0.12";

    static NetNamespaces lab;
    /** Configs and the logs of every process; kept when a test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static String client;
    static final Map<String, String> appliance = new HashMap<>();
    static final Map<String, List<Process>> processes = new HashMap<>();
    static final Map<String, LabApi> api = new HashMap<>();

    @BeforeAll
    static void buildTheLab() throws Exception {
        lab = new NetNamespaces();
        try {
            String lan = lab.create("lan");
            client = lab.create("c");
            String a = lab.create("a");
            String b = lab.create("b");
            String servers = lab.create("srv");
            Map<String, String> addresses = new java.util.LinkedHashMap<>();
            addresses.put(client, "10.2.0.50/24");
            addresses.put(a, A + "/24");
            addresses.put(b, B + "/24");
            addresses.put(servers, "10.2.0.21/24");
            ScaleOutLab.segment(lab, lan, addresses);
            lab.exec(servers, "ip", "address", "add", "10.2.0.22/24", "dev", "eth0");
            for (String s : List.of("10.2.0.21", "10.2.0.22")) {
                lab.spawn(servers, dir.resolve("servers.log"), "socat", "TCP-LISTEN:8080,bind=" + s + ",fork,reuseaddr",
                        "SYSTEM:echo $SOCAT_PEERADDR " + s);
            }
            appliance.put("a", a);
            appliance.put("b", b);
            for (String name : List.of("a", "b")) {
                String ns = appliance.get(name);
                // The proxy binds the VIP on both appliances; only the master holds it (keepalived adds it).
                lab.exec(ns, "sysctl", "-qw", "net.ipv4.ip_nonlocal_bind=1");
                String toml = applianceConfig(name);
                Files.createDirectories(dir.resolve(name));
                Files.writeString(dir.resolve(name).resolve("convey.toml"), toml);
                List<Process> started = new ArrayList<>();
                started.add(lab.spawn(ns, dir.resolve(name + "-convey.log"), Path.of(System.getProperty("java.home"),
                        "bin", "java").toString(), "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), "io.convey.Main", "--config=" + dir.resolve(name).resolve("convey.toml")));
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve(name + "-vrrp.fifo"))
                        && Files.exists(includeFile(name)));
                // keepalived's own file only includes the one the daemon keeps ([vrrp] include_file)
                assertThat(Files.readString(includeFile(name))).isEqualTo(KeepalivedSetup.config(ConfigLoader.parse(
                        toml, name + ".toml").config().orElseThrow(), new InetSocketAddress("127.0.0.1", 7000),
                        java.util.Optional.empty()));
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        includeFile(name)))).as("it holds auth_pass").isEqualTo("rw-------");
                Path conf = dir.resolve(name + "-keepalived.conf");
                Files.writeString(conf, "include " + includeFile(name) + "\n");
                started.add(lab.spawn(ns, dir.resolve(name + "-keepalived.log"), "keepalived", "-n", "-l", "-D", "-P",
                        "-f", conf.toString(), "-p", dir.resolve(name + "-ka.pid").toString(), "-r",
                        dir.resolve(name + "-ka-vrrp.pid").toString()));
                processes.put(name, started);
                LabApi admin = new LabApi(lab, ns);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                        admin.login(dir.resolve(name).resolve(".convey-state")));
                api.put(name, admin);
            }
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                assertThat(vrrpState("a")).isEqualTo("MASTER");
                assertThat(vrrpState("b")).isEqualTo("BACKUP");
            });
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

    static String applianceConfig(String name) {
        boolean primary = name.equals("a");
        return """
                [frontends.web]
                listen_addr = "%s:80"
                backend = "pool"
                [backends.pool]
                health_check_interval_ms = 300
                rise = 1
                fall = 1
                  [backends.pool.servers.s1]
                  addr = "10.2.0.21:8080"
                  [backends.pool.servers.s2]
                  addr = "10.2.0.22:8080"
                %s
                [vrrp]
                interface = "eth0"
                virtual_router_id = 51
                priority = %d
                peers = ["%s"]
                auth_pass = "convey"
                notify_fifo = "%s"
                include_file = "%s"
                """.formatted(VIP, LabApi.adminSection(), primary ? 150 : 100, primary ? B : A, dir.resolve(name + "-vrrp.fifo"),
                includeFile(name));
    }

    /** The keepalived configuration the daemon keeps for appliance {@code name}. */
    static Path includeFile(String name) {
        return dir.resolve(name).resolve("keepalived-convey.conf");
    }

    /** The VRRP state the appliance's own status reports (from keepalived's notify FIFO). */
    static String vrrpState(String name) throws IOException {
        return api.get(name).get("/api/v1/status").at("/announce/vrrp/state").asText();
    }

    static void maintenance(String name, boolean on) throws IOException {
        api.get(name).post("/api/v1/maintenance", "{\"on\": " + on + "}");
    }

    /** Which appliance answers a new connection to the VIP (the servers print the proxy's address). */
    static String answeringAppliance() throws Exception {
        return NetNamespaces.callIn(client, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(VIP, 80), 1000);
                s.setSoTimeout(2000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                return line == null ? null : line.split(" ")[0];
            }
        });
    }

    @Test
    @Order(1)
    void theMasterHoldsTheVipAndAnswersAndBothRecordTheirState() throws Exception {
        assertThat(lab.exec(appliance.get("a"), "ip", "-4", "address", "show", "eth0")).contains(VIP + "/32");
        assertThat(lab.exec(appliance.get("b"), "ip", "-4", "address", "show", "eth0")).doesNotContain(VIP);
        assertThat(answeringAppliance()).isEqualTo(A);
        assertThat(api.get("a").getText("/metrics"))
                .contains("convey_vrrp_master{instance=\"convey_51\",state=\"MASTER\"} 1");
        assertThat(api.get("b").getText("/metrics"))
                .contains("convey_vrrp_master{instance=\"convey_51\",state=\"BACKUP\"} 0");
    }

    @Test
    @Order(2)
    void maintenanceOnTheMasterHandsTheVipToTheBackup() throws Exception {
        maintenance("a", true);
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(vrrpState("b")).isEqualTo("MASTER");
                assertThat(answeringAppliance()).isEqualTo(B);
            });
            assertThat(vrrpState("a")).isEqualTo("FAULT");
            assertThat(api.get("a").get("/api/v1/events/recent?seconds=600").get("events").findValues("data"))
                    .anySatisfy(d -> assertThat(d.path("state").asText()).isEqualTo("FAULT"));
        } finally {
            maintenance("a", false);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(vrrpState("a")).isEqualTo("MASTER");
            assertThat(answeringAppliance()).isEqualTo(A);
        });
    }

    @Test
    @Order(3)
    void aFrontendAddedToTheFileReachesKeepalivedThroughTheIncludeFileTheDaemonKeeps() throws Exception {
        String second = "10.2.0.101";
        Map<String, String> before = new HashMap<>();
        for (String name : List.of("a", "b")) {
            Path file = dir.resolve(name).resolve("convey.toml");
            before.put(name, Files.readString(file));
            Files.writeString(file, before.get(name) + """
                    [frontends.second]
                    listen_addr = "%s:80"
                    backend = "pool"
                    """.formatted(second));
        }
        try {
            for (String name : List.of("a", "b")) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(includeFile(name)))
                        .contains(VIP + "/32 dev eth0", second + "/32 dev eth0"));
                lab.exec(appliance.get(name), "keepalived", "-t", "-l", "-f",
                        dir.resolve(name + "-keepalived.conf").toString()); // fails the test on a non-zero exit
                lab.exec(appliance.get(name), "kill", "-HUP", Long.toString(processes.get(name).get(1).pid()));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lab.exec(appliance.get("a"), "ip",
                    "-4", "address", "show", "eth0")).contains(second + "/32"));
            assertThat(lab.exec(appliance.get("b"), "ip", "-4", "address", "show", "eth0")).doesNotContain(second);
        } finally {
            for (String name : List.of("a", "b")) {
                Files.writeString(dir.resolve(name).resolve("convey.toml"), before.get(name));
            }
        }
        for (String name : List.of("a", "b")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(includeFile(name)))
                    .doesNotContain(second));
        }
    }

    @Test
    @Order(4)
    void whenTheMasterApplianceDiesTheBackupAnswersForTheVip() throws Exception {
        assertThat(answeringAppliance()).isEqualTo(A);
        long start = System.nanoTime();
        for (Process p : processes.get("a")) {
            // SIGKILL of keepalived's VRRP child first, so that it cannot send its "priority 0" goodbye, then of
            // keepalived and of the daemon: the appliance is gone as if it had lost power.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(() -> assertThat(answeringAppliance()).isEqualTo(B));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("VRRP: master killed, the backup answered for the VIP after " + millis + " ms");
        assertThat(vrrpState("b")).isEqualTo("MASTER");
    }
}
