package io.convey.announce;

import io.convey.packet.NetNamespaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
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
    static final String VIP = ScaleOutLab.VIP;
    static final String A = ScaleOutLab.A;
    static final String B = ScaleOutLab.B;
    static final int SIZE = 100 << 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aDownloadContinuesThroughTheOtherApplianceToTheSameServer() throws Exception {
        byte[] blob = new byte[SIZE];
        new Random(18).nextBytes(blob);
        Path file = dir.resolve("blob");
        Files.write(file, blob);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        try (ScaleOutLab lab = ScaleOutLab.ecmp(dir, 2)) {
            Map<String, String> apps = lab.appliance;
            String client = lab.client;
            for (String s : lab.servers) {
                // dsr_method l2 (convey --print-server-setup): the VIP on loopback, never answered in ARP.
                lab.namespaces.exec(s, "ip", "address", "add", VIP + "/32", "dev", "lo");
                lab.namespaces.exec(s, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1",
                        "net.ipv4.conf.all.arp_announce=2");
                lab.namespaces.exec(s, "ip", "route", "add", "default", "via", ScaleOutLab.ROUTER);
                lab.namespaces.spawn(s, dir.resolve("servers.log"), "socat", "TCP-LISTEN:80,fork,reuseaddr",
                        "SYSTEM:cat " + file);
            }
            Map<String, Process> daemons = new java.util.HashMap<>();
            for (String name : List.of("a", "b")) {
                // the capture interface holds the VIP
                lab.namespaces.exec(apps.get(name), "ip", "address", "add", VIP + "/32", "dev", "eth0");
                daemons.put(name, lab.startAppliance(name, config(lab, name), "-d"));
            }
            lab.awaitBothNextHops();

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
            String carrier = packetsToVip(lab.namespaces, apps.get("a")) > packetsToVip(lab.namespaces, apps.get("b")) ? "a" : "b";
            String survivor = carrier.equals("a") ? "b" : "a";
            long survivorPacketsBefore = packetsToVip(lab.namespaces, apps.get(survivor));
            long mibAtKill = received.get() >> 20;
            long start = System.nanoTime();
            daemons.get(carrier).destroyForcibly(); // SIGKILL of the appliance carrying the flow
            String other = carrier.equals("a") ? B : A;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(lab.nextHops()).containsExactly(other));
            long withdrawnMillis = (System.nanoTime() - start) / 1_000_000;
            String digest = download.get(120, java.util.concurrent.TimeUnit.SECONDS);
            System.out.println("DSR: appliance " + carrier + " killed at " + mibAtKill + " MiB; route gone after "
                    + withdrawnMillis + " ms; longest stall of the download " + longestGapNanos.get() / 1_000_000 + " ms");
            assertThat(digest).as("the 100 MiB arrived intact from the same server").isEqualTo(expected);
            assertThat(packetsToVip(lab.namespaces, apps.get(survivor)) - survivorPacketsBefore)
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

    private static String config(ScaleOutLab lab, String name) {
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
                %s""".formatted(VIP, LabApi.adminSection(), lab.bgpSection(name, ""));
    }
}
