package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The passthrough data plane between real namespaces: a client, the balancer and two servers on one bridge (in a
 * switch namespace), 10.200.x.0/24 only inside them. The data plane runs in this JVM on a thread moved into the
 * balancer namespace; the servers and clients run on threads moved into theirs. Captures through the ring here,
 * through libpcap in {@link PassthroughOverPcapNamespaceTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PassthroughNamespaceTest {
    private static final Logger log = LoggerFactory.getLogger(PassthroughNamespaceTest.class);
    private static final int PORT = 8080;
    private static final int VIP_PORT = 80;

    NetNamespaces namespaces;
    String client;
    String balancer;
    String server1;
    String server2;
    String subnet;
    String vip;
    TinyHttpServer s1;
    TinyHttpServer s2;
    ServerRef ref1;
    ServerRef ref2;
    TestScheduler scheduler;
    PacketDataPlane plane;
    FirewallSetup firewall;
    ExecutorService clients;

    /**
     * True to leave TCP checksums to offload on the clients' and servers' veths, as containers on the balancer's
     * host do: their segments then reach the capture with a partial checksum that the ring completes.
     */
    boolean checksumOffload() {
        return false;
    }

    /** How the data plane captures; asked for explicitly, so that a failing ring cannot hide behind the fallback. */
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.RING;
    }

    @BeforeAll
    void buildTopology() throws Exception {
        namespaces = new NetNamespaces();
        try {
            subnet = "10.200." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
            vip = subnet + "10";
            String sw = namespaces.create("sw");
            namespaces.exec(sw, "ip", "link", "add", "br0", "type", "bridge");
            namespaces.exec(sw, "ip", "link", "set", "br0", "up");
            client = attach(sw, "c", subnet + "2");
            balancer = attach(sw, "lb", subnet + "3");
            server1 = attach(sw, "s1", subnet + "4");
            server2 = attach(sw, "s2", subnet + "5");
            namespaces.exec(balancer, "ip", "addr", "add", vip + "/24", "dev", "vlb");

            s1 = new TinyHttpServer("s1", server1, subnet + "4", PORT);
            s2 = new TinyHttpServer("s2", server2, subnet + "5", PORT);
            ref1 = new ServerRef("s1", FrameBuilder.ip(subnet + "4"), PORT);
            ref2 = new ServerRef("s2", FrameBuilder.ip(subnet + "5"), PORT);
            scheduler = new TestScheduler(List.of(ref1, ref2));
            List<PassthroughFrontend> frontends = List.of(new PassthroughFrontend("web",
                    (Inet4Address) Inet4Address.getByName(vip), VIP_PORT, List.of(ref1, ref2), scheduler));

            firewall = new FirewallSetup(List.of("ip", "netns", "exec", balancer));
            firewall.install(FirewallSetup.rulesFor(frontends));
            FlowTimeouts timeouts = new FlowTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
                    Duration.ofSeconds(5), Duration.ofMillis(500));
            plane = new PacketDataPlane(new PassthroughSettings("vlb", 2, 4096, timeouts, Duration.ofMillis(100), true,
                    capture()));
            NetNamespaces.callIn(balancer, () -> {
                plane.start(frontends);
                return null;
            });
            assertThat(plane.capture()).isEqualTo(capture().name().toLowerCase(java.util.Locale.ROOT));
            clients = Executors.newFixedThreadPool(210, NetNamespaces.threadsIn(client));
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    /** Creates a namespace with a veth into the switch bridge and offloads off. */
    String attach(String sw, String role, String address) throws IOException {
        String ns = namespaces.create(role);
        String inside = "v" + role;
        String port = "p" + role;
        NetNamespaces.run("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw);
        namespaces.exec(sw, "ip", "link", "set", port, "master", "br0", "up");
        namespaces.exec(ns, "ip", "addr", "add", address + "/24", "dev", inside);
        namespaces.exec(ns, "ip", "link", "set", inside, "up");
        // Software checksums and segmentation on senders, no GRO on receivers: the capture then sees
        // MTU-sized frames with complete checksums, as on a physical NIC.
        // (with checksum offload the bridge's ports keep it too, so a partial checksum reaches the balancer)
        String checksums = checksumOffload() ? "on" : "off";
        namespaces.exec(ns, "ethtool", "-K", inside, "tx", checksums, "tso", "off", "gso", "off", "gro", "off");
        namespaces.exec(sw, "ethtool", "-K", port, "tx", checksums, "tso", "off", "gso", "off", "gro", "off");
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
        namespaces.close();
    }

    record Response(String server, long bytes, long crc) {}

    Response get(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(vip, VIP_PORT), 5000);
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
        return clients.submit(task).get(120, TimeUnit.SECONDS);
    }

    long expectedCrc(long size) {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[64 * 1024];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(chunk.length, size - done);
            for (int i = 0; i < n; i++) {
                chunk[i] = TinyHttpServer.bodyByte(done + i);
            }
            crc.update(chunk, 0, n);
            done += n;
        }
        return crc.getValue();
    }

    @Test
    @Order(1)
    void requestsThroughTheVipSpreadOverBothServers() throws Exception {
        Map<String, Integer> perServer = new ConcurrentHashMap<>();
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
        log.info("100 requests: perServer={} counters={}", perServer, plane.counters());
    }

    @Test
    @Order(2)
    void downloads100MegabytesIntact() throws Exception {
        long size = 100L * 1024 * 1024;
        PassthroughCounters before = plane.counters();
        long start = System.nanoTime();
        Response r = inClient(() -> get("/bytes/" + size));
        double seconds = (System.nanoTime() - start) / 1e9;
        PassthroughCounters after = plane.counters();
        assertThat(r.bytes()).isEqualTo(size);
        assertThat(r.crc()).isEqualTo(expectedCrc(size));
        long packets = after.packetsToClients() - before.packetsToClients()
                + after.packetsToServers() - before.packetsToServers();
        log.info("100 MiB download: {} s, {} MB/s, {} packets/s, drops={}", String.format("%.2f", seconds),
                String.format("%.1f", size / seconds / 1e6), String.format("%.0f", packets / seconds), after.drops());
        assertThat(after.bytesToClients() - before.bytesToClients()).isGreaterThanOrEqualTo(size);
        long asFrames = after.sentAsFrames() - before.sentAsFrames();
        long routed = after.sentRouted() - before.sentRouted();
        // (the worker may be between counting a packet and sending it when the counters are read)
        assertThat(asFrames + routed).isCloseTo(packets, org.assertj.core.api.Assertions.within(16L));
        if (capture() == PassthroughSettings.Capture.RING) {
            // client and server are on-link and resolved by the kernel (earlier tests): frames go straight out
            assertThat(asFrames).as("sent as frames of %d", packets).isGreaterThan(packets * 95 / 100);
        } else {
            assertThat(asFrames).as("libpcap sends through the kernel's routing").isZero();
        }
    }

    @Test
    @Order(3)
    void carries200ConcurrentConnections() throws Exception {
        CountDownLatch allConnected = new CountDownLatch(200);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Response>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(clients.submit(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(vip, VIP_PORT), 10_000);
                    s.setSoTimeout(20_000);
                    allConnected.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    s.getOutputStream().write("GET /bytes/20000 HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    String head = TinyHttpServer.readHead(in);
                    CRC32 crc = new CRC32();
                    long total = 0;
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        crc.update(buffer, 0, n);
                        total += n;
                    }
                    return new Response(head.contains("s1") ? "s1" : "s2", total, crc.getValue());
                }
            }));
        }
        assertThat(allConnected.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(plane.counters().activeFlows()).isGreaterThanOrEqualTo(200);
        release.countDown();
        long crc = expectedCrc(20000);
        for (Future<Response> f : results) {
            Response r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.bytes()).isEqualTo(20000);
            assertThat(r.crc()).isEqualTo(crc);
        }
    }

    @Test
    @Order(4)
    void serverDownResetsItsFlowsAndNewFlowsGoElsewhere() throws Exception {
        Socket held = null;
        List<Socket> others = new ArrayList<>();
        for (int i = 0; i < 10 && held == null; i++) {
            Socket s = inClient(() -> {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(vip, VIP_PORT), 5000);
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write("GET /hold HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return socket;
            });
            String head = TinyHttpServer.readHead(s.getInputStream());
            if (head.contains("X-Server: s1")) {
                held = s;
            } else {
                others.add(s);
            }
        }
        assertThat(held).as("a held connection on s1").isNotNull();

        // s1 vanishes without a word (no FIN, no RST from its kernel) and the health check notices.
        namespaces.exec(server1, "ip", "link", "set", "vs1", "down");
        scheduler.markDown(ref1);
        long start = System.nanoTime();
        Socket victim = held;
        assertThatThrownBy(() -> victim.getInputStream().read())
                .isInstanceOf(SocketException.class)
                .isNotInstanceOf(SocketTimeoutException.class);
        log.info("client of the down server reset after {} ms", (System.nanoTime() - start) / 1_000_000);
        victim.close();

        for (int i = 0; i < 10; i++) {
            assertThat(inClient(() -> get("/bytes/100")).server()).isEqualTo("s2");
        }
        for (Socket s : others) {
            s.close();
        }
    }

    @Test
    @Order(5)
    void flowTableEmptiesAfterConnectionsClose() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            PassthroughCounters c = plane.counters();
            assertThat(c.activeFlows()).isZero();
            assertThat(c.connectionsClosed()).isEqualTo(c.connectionsOpened());
        });
        PassthroughCounters c = plane.counters();
        log.info("final counters: {}", c);
        assertThat(c.dropped(DropReason.BAD_CHECKSUM)).isZero();
        assertThat(c.dropped(DropReason.MALFORMED)).isZero();
        assertThat(c.dropped(DropReason.SEND_FAILED)).isZero();
    }
}
