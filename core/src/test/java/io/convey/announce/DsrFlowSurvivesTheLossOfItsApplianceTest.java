package io.convey.announce;

import io.convey.packet.NetNamespaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct server return under ECMP: a 100 MiB download runs through one of two appliances (Convey {@code -d}, DSR
 * {@code l2}, each with BIRD); that appliance's daemon is killed with SIGKILL mid-download; the router moves the flow
 * to the other appliance, which has never seen it, picks the same server by Maglev and forwards it on; the download
 * completes intact. All in network namespaces this test creates and removes.
 */
class DsrFlowSurvivesTheLossOfItsApplianceTest {
    static final String VIP = "10.99.0.10";
    static final String A = "10.1.0.11";
    static final String B = "10.1.0.12";
    static final int SIZE = 100 << 20;
    private static final Pattern VIA = Pattern.compile("via (\\S+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aDownloadContinuesThroughTheOtherApplianceToTheSameServer() throws Exception {
        byte[] blob = new byte[SIZE];
        new Random(18).nextBytes(blob);
        Path file = dir.resolve("blob");
        Files.write(file, blob);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        try (NetNamespaces lab = new NetNamespaces()) {
            String router = lab.create("r");
            String client = lab.create("c");
            String lan = lab.create("lan");
            Map<String, String> apps = Map.of("a", lab.create("a"), "b", lab.create("b"));
            List<String> servers = List.of(lab.create("s1"), lab.create("s2"));
            lab.exec(lan, "ip", "link", "add", "br0", "type", "bridge");
            lab.exec(lan, "ip", "link", "set", "br0", "up");
            Map<String, String> addresses = new java.util.LinkedHashMap<>();
            addresses.put(router, "10.1.0.1/24");
            addresses.put(apps.get("a"), A + "/24");
            addresses.put(apps.get("b"), B + "/24");
            addresses.put(servers.get(0), "10.1.0.21/24");
            addresses.put(servers.get(1), "10.1.0.22/24");
            int port = 0;
            for (var e : addresses.entrySet()) {
                String peer = "p" + port++;
                lab.exec(lan, "ip", "link", "add", peer, "type", "veth", "peer", "name", "eth0", "netns", e.getKey());
                lab.exec(lan, "ip", "link", "set", peer, "master", "br0", "up");
                lab.exec(e.getKey(), "ip", "address", "add", e.getValue(), "dev", "eth0");
                lab.exec(e.getKey(), "ip", "link", "set", "eth0", "up");
            }
            lab.exec(router, "ip", "link", "add", "cl", "type", "veth", "peer", "name", "eth0", "netns", client);
            lab.exec(router, "ip", "address", "add", "10.9.0.1/24", "dev", "cl");
            lab.exec(router, "ip", "link", "set", "cl", "up");
            lab.exec(client, "ip", "address", "add", "10.9.0.2/24", "dev", "eth0");
            lab.exec(client, "ip", "link", "set", "eth0", "up");
            lab.exec(client, "ip", "route", "add", "default", "via", "10.9.0.1");
            lab.exec(router, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.fib_multipath_hash_policy=1");
            for (String s : servers) {
                // dsr_method l2 (convey --print-server-setup): the VIP on loopback, never answered in ARP.
                lab.exec(s, "ip", "address", "add", VIP + "/32", "dev", "lo");
                lab.exec(s, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2");
                lab.exec(s, "ip", "route", "add", "default", "via", "10.1.0.1");
                lab.spawn(s, dir.resolve("servers.log"), "socat", "TCP-LISTEN:80,fork,reuseaddr", "SYSTEM:cat " + file);
            }
            bird(lab, router, "router", routerBird());
            Map<String, Process> daemons = new java.util.HashMap<>();
            for (String name : List.of("a", "b")) {
                String ns = apps.get(name);
                lab.exec(ns, "ip", "route", "add", "default", "via", "10.1.0.1");
                lab.exec(ns, "ip", "address", "add", VIP + "/32", "dev", "eth0"); // the capture interface holds the VIP
                String toml = config(name.equals("a") ? A : B, dir.resolve(name + "-bird.ctl"));
                Files.createDirectories(dir.resolve(name));
                Files.writeString(dir.resolve(name).resolve("convey.toml"), toml);
                bird(lab, ns, name, BirdSetup.config(ConfigLoader.parse(toml, name + ".toml").config().orElseThrow()));
                daemons.put(name, lab.spawn(ns, dir.resolve(name + "-convey.log"), Path.of(System.getProperty(
                        "java.home"), "bin", "java").toString(), "-Xmx384m", "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), "io.convey.Main", "-d", "--config="
                                + dir.resolve(name).resolve("convey.toml")));
            }
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(nextHops(router)).containsExactlyInAnyOrder(A, B));

            AtomicLong received = new AtomicLong();
            AtomicLong longestGapNanos = new AtomicLong();
            CompletableFuture<String> download = CompletableFuture.supplyAsync(() -> {
                try {
                    return NetNamespaces.callIn(client, () -> download(received, longestGapNanos));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> received.get() > SIZE / 5 || download.isDone());
            assertThat(download).as("the download is still in flight").isNotDone();
            String carrier = packetsToVip(lab, apps.get("a")) > packetsToVip(lab, apps.get("b")) ? "a" : "b";
            String survivor = carrier.equals("a") ? "b" : "a";
            long survivorPacketsBefore = packetsToVip(lab, apps.get(survivor));
            long mibAtKill = received.get() >> 20;
            long start = System.nanoTime();
            daemons.get(carrier).destroyForcibly(); // SIGKILL of the appliance carrying the flow
            String other = carrier.equals("a") ? B : A;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(nextHops(router)).containsExactly(other));
            long withdrawnMillis = (System.nanoTime() - start) / 1_000_000;
            String digest = download.get(120, java.util.concurrent.TimeUnit.SECONDS);
            System.out.println("DSR: appliance " + carrier + " killed at " + mibAtKill + " MiB; route gone after "
                    + withdrawnMillis + " ms; longest stall of the download " + longestGapNanos.get() / 1_000_000 + " ms");
            assertThat(digest).as("the 100 MiB arrived intact from the same server").isEqualTo(expected);
            assertThat(packetsToVip(lab, apps.get(survivor)) - survivorPacketsBefore)
                    .as("the rest of the flow went through the other appliance").isGreaterThan(100);
        }
    }

    /** Reads the whole download at about 20 MiB/s so that it is in flight long enough; returns its SHA-256. */
    private static String download(AtomicLong received, AtomicLong longestGap) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(256 << 10);
            s.connect(new InetSocketAddress(VIP, 80), 5000);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[64 << 10];
            long last = System.nanoTime();
            long started = last;
            int n;
            while ((n = in.read(buffer)) > 0) {
                long now = System.nanoTime();
                longestGap.accumulateAndGet(now - last, Math::max);
                last = now;
                sha.update(buffer, 0, n);
                long total = received.addAndGet(n);
                // pace the reader: 20 MiB/s (a rate limit, not a wait for a condition)
                long due = started + total * 1_000_000_000L / (20L << 20);
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                }
            }
            assertThat(received.get()).isEqualTo(SIZE);
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    private static long packetsToVip(NetNamespaces lab, String ns) throws IOException {
        long packets = 0;
        for (String line : lab.exec(ns, "iptables-save", "-c", "-t", "raw").split("\n")) {
            if (line.contains(VIP) && line.contains("--dport 80")) {
                Matcher m = Pattern.compile("^\\[(\\d+):").matcher(line);
                if (m.find()) {
                    packets += Long.parseLong(m.group(1));
                }
            }
        }
        return packets;
    }

    private void bird(NetNamespaces lab, String ns, String name, String config) throws IOException {
        Path conf = dir.resolve(name + "-bird.conf");
        Files.writeString(conf, config);
        lab.spawn(ns, dir.resolve(name + "-bird.log"), "bird", "-f", "-c", conf.toString(), "-s",
                dir.resolve(name + "-bird.ctl").toString(), "-P", dir.resolve(name + "-bird.pid").toString());
    }

    private static String routerBird() {
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

    private static String config(String self, Path birdSocket) {
        return """
                [frontends.web]
                listen_addr = "%s:80"
                backend = "pool"
                [backends.pool]
                dsr_method = "l2"
                health_check_interval_ms = 300
                rise = 1
                fall = 2
                  [backends.pool.servers.s1]
                  addr = "10.1.0.21:80"
                  [backends.pool.servers.s2]
                  addr = "10.1.0.22:80"
                %s
                [passthrough]
                workers = 1
                manage_firewall = true
                manage_offloads = true
                [bgp]
                local_as = 65001
                router_id = "%s"
                hold_time_s = 3
                control_socket = "%s"
                  [bgp.peers.router]
                  address = "10.1.0.1"
                  remote_as = 65000
                """.formatted(VIP, LabApi.adminSection(), self, birdSocket);
    }

    private static List<String> nextHops(String router) throws IOException {
        String route = NetNamespaces.run("ip", "netns", "exec", router, "ip", "route", "show", VIP + "/32");
        List<String> hops = new ArrayList<>();
        Matcher m = VIA.matcher(route);
        while (m.find()) {
            hops.add(m.group(1));
        }
        return hops;
    }
}
