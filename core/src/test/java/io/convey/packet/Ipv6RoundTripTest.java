package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet mode over IPv6 between real namespaces: a client, the balancer and two servers on one bridge, in a random
 * fd00:x:y::/64 that exists only inside them (duplicate address detection off, so addresses work at once). The
 * kernel's resets are held back by ip6tables rules that {@link FirewallSetup} installs; DSR servers run the
 * commands {@link DsrServerSetup} prints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Ipv6RoundTripTest {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private static final int PORT = 8080;
    private static final int VIP_PORT = 80;

    abstract Delivery delivery();

    /** How the data plane captures; asked for explicitly, so that a failing ring cannot hide behind the fallback. */
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.RING;
    }

    NetNamespaces namespaces;
    String client;
    String balancer;
    String prefix;
    String vip;
    TinyHttpServer s1;
    TinyHttpServer s2;
    PacketDataPlane plane;
    ExecutorService clients;

    @BeforeAll
    void buildTopology() throws Exception {
        namespaces = new NetNamespaces();
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            prefix = "fd00:" + Integer.toHexString(random.nextInt(1, 0xFFFF)) + ":"
                    + Integer.toHexString(random.nextInt(1, 0xFFFF)) + "::";
            vip = prefix + "10";
            String sw = namespaces.create("sw6");
            namespaces.exec(sw, "ip", "link", "add", "br0", "type", "bridge");
            namespaces.exec(sw, "ip", "link", "set", "br0", "up");
            client = attach(sw, "c6", prefix + "2");
            balancer = attach(sw, "lb6", prefix + "3");
            String server1 = attach(sw, "s16", prefix + "4");
            String server2 = attach(sw, "s26", prefix + "5");
            namespaces.exec(balancer, "ip", "-6", "addr", "add", vip + "/64", "dev", "vlb6", "nodad");
            if (delivery().isDsr()) {
                setUpServer(server1, prefix + "4");
                setUpServer(server2, prefix + "5");
            }

            s1 = new TinyHttpServer("s1", server1, prefix + "4", PORT);
            s2 = new TinyHttpServer("s2", server2, prefix + "5", PORT);
            ServerRef ref1 = ServerRef.of("s1", InetAddress.getByName(prefix + "4"), PORT);
            ServerRef ref2 = ServerRef.of("s2", InetAddress.getByName(prefix + "5"), PORT);
            List<PassthroughFrontend> frontends = List.of(new PassthroughFrontend("web6", InetAddress.getByName(vip),
                    VIP_PORT, List.of(ref1, ref2), new TestScheduler(List.of(ref1, ref2)), delivery()));

            FirewallSetup firewall = new FirewallSetup(List.of("ip", "netns", "exec", balancer));
            List<FirewallSetup.Rule> rules = FirewallSetup.rulesFor(frontends);
            assertThat(rules).allMatch(FirewallSetup.Rule::ipv6);
            firewall.install(rules);
            assertThat(firewall.missing(rules)).isEmpty();
            assertThat(namespaces.exec(balancer, "ip6tables", "-t", "raw", "-S", "PREROUTING"))
                    .contains("-A PREROUTING -d " + vip + "/128 -p tcp -m tcp --dport 80 -j DROP");

            FlowTimeouts timeouts = new FlowTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
                    Duration.ofSeconds(5), Duration.ofMillis(500));
            plane = new PacketDataPlane(new PassthroughSettings("vlb6", 2, 4096, timeouts, Duration.ofMillis(100),
                    true, capture()));
            NetNamespaces.callIn(balancer, () -> {
                plane.start(frontends);
                return null;
            });
            assertThat(plane.capture()).isEqualTo(capture().name().toLowerCase(java.util.Locale.ROOT));
            clients = Executors.newFixedThreadPool(4, NetNamespaces.threadsIn(client));
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    private void setUpServer(String ns, String address) throws IOException {
        for (String line : DsrServerSetup.commands(delivery(), new InetSocketAddress(vip, VIP_PORT),
                new InetSocketAddress(address, PORT))) {
            if (!line.startsWith("#")) {
                namespaces.exec(ns, "sh", "-c", line);
            }
        }
    }

    /** A namespace with a veth into the switch bridge, an IPv6 address without DAD, and offloads off. */
    String attach(String sw, String role, String address) throws IOException {
        String ns = namespaces.create(role);
        String inside = "v" + role;
        String port = "p" + role;
        NetNamespaces.run("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw);
        namespaces.exec(sw, "ip", "link", "set", port, "master", "br0", "up");
        namespaces.exec(ns, "ip", "-6", "addr", "add", address + "/64", "dev", inside, "nodad");
        namespaces.exec(ns, "ip", "link", "set", inside, "up");
        // as in PassthroughNamespaceTest: complete checksums and MTU-sized frames, as on a physical NIC
        namespaces.exec(ns, "ethtool", "-K", inside, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        namespaces.exec(sw, "ethtool", "-K", port, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        return ns;
    }

    @AfterAll
    void tearDown() {
        if (clients != null) {
            clients.shutdownNow();
        }
        if (plane != null) {
            plane.close();
        }
        for (TinyHttpServer s : new TinyHttpServer[] {s1, s2}) {
            try {
                if (s != null) {
                    s.close();
                }
            } catch (IOException e) {
                log.warn("server close failed: {}", e.toString());
            }
        }
        namespaces.close(); // the rules go with the balancer's namespace
    }

    record Response(String server, long bytes, long crc) {}

    Response get(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(vip), VIP_PORT), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = TinyHttpServer.readHead(in);
            String server = head.lines().filter(l -> l.startsWith("X-Server: ")).findFirst().orElseThrow().substring(10);
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                total += n;
            }
            return new Response(server, total, crc.getValue());
        }
    }

    <T> T inClient(Callable<T> task) throws Exception {
        return clients.submit(task).get(60, TimeUnit.SECONDS);
    }

    static long expectedCrc(long size) {
        CRC32 crc = new CRC32();
        for (long i = 0; i < size; i++) {
            crc.update(TinyHttpServer.bodyByte(i));
        }
        return crc.getValue();
    }

    @Test
    @Order(1)
    void requestsThroughTheIpv6VipSpreadOverBothServers() throws Exception {
        Map<String, Integer> perServer = new HashMap<>();
        long crc = expectedCrc(1000);
        for (int i = 0; i < 100; i++) {
            Response r = inClient(() -> get("/bytes/1000"));
            assertThat(r.bytes()).isEqualTo(1000);
            assertThat(r.crc()).isEqualTo(crc);
            perServer.merge(r.server(), 1, Integer::sum);
        }
        assertThat(perServer).containsOnlyKeys("s1", "s2");
        assertThat(perServer.get("s1")).isGreaterThan(20);
        assertThat(perServer.get("s2")).isGreaterThan(20);
        PassthroughCounters c = plane.counters();
        log.info("{} over IPv6, 100 requests: perServer={} counters={}", delivery().id(), perServer, c);
        assertThat(c.connectionsOpened()).isGreaterThanOrEqualTo(100);
        assertThat(c.sentAsFrames()).as("IPv6 leaves routed").isZero();
        if (delivery().isDsr()) {
            assertThat(c.packetsToClients()).as("servers answer the clients directly").isZero();
        }
        // (the worker may be between counting a packet and sending it when the counters are read)
        assertThat(c.sentRouted()).isCloseTo(c.packetsToServers() + c.packetsToClients() + c.resetsSent(),
                org.assertj.core.api.Assertions.within(16L));
    }

    @Test
    @Order(2)
    void downloads10MegabytesIntact() throws Exception {
        long size = 10L * 1024 * 1024;
        PassthroughCounters before = plane.counters();
        Response r = inClient(() -> get("/bytes/" + size));
        assertThat(r.bytes()).isEqualTo(size);
        assertThat(r.crc()).isEqualTo(expectedCrc(size));
        PassthroughCounters after = plane.counters();
        if (delivery().isDsr()) {
            assertThat(after.bytesToClients()).as("the download bypassed the balancer").isZero();
            assertThat(after.packetsToServers() - before.packetsToServers()).as("client acknowledgements forwarded")
                    .isGreaterThan(100);
        } else {
            assertThat(after.bytesToClients() - before.bytesToClients()).isGreaterThanOrEqualTo(size);
        }
    }

    @Test
    @Order(3)
    void flowTableEmptiesAfterConnectionsClose() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            PassthroughCounters c = plane.counters();
            assertThat(c.activeFlows()).isZero();
            assertThat(c.connectionsClosed()).isEqualTo(c.connectionsOpened());
        });
        PassthroughCounters c = plane.counters();
        log.info("{} over IPv6, final counters: {}", delivery().id(), c);
        assertThat(c.dropped(DropReason.BAD_CHECKSUM)).isZero();
        assertThat(c.dropped(DropReason.MALFORMED)).isZero();
        assertThat(c.dropped(DropReason.SEND_FAILED)).isZero();
    }
}
