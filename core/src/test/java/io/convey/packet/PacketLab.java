package io.convey.packet;

import io.convey.traffic.AccessSink;
import io.convey.traffic.FrontendGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet-mode topology in namespaces the lab owns: a switch namespace with a bridge, a client (.2), the balancer
 * (.3, VIP .10) and two servers s1 and s2 (.4, .5) on veths, in a random 10.201.x.0/24 or fd00:x:y::/64 (no
 * duplicate address detection) that exists only inside them. DSR servers run the commands {@link DsrServerSetup}
 * prints; the balancer runs the packet data plane on a thread moved into its namespace, or gets only its addresses
 * for a test that runs the daemon there as a process. Closing deletes everything, the firewall rules with the
 * balancer's namespace. Configure with the fluent methods, then {@link #start()}.
 */
final class PacketLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketLab.class);
    static final int VIP_PORT = 80;
    /** The UDP frontend's port ({@link #udp()}). */
    static final int UDP_PORT = 53;
    static final String BALANCER_INTERFACE = "vlb";

    private final Delivery delivery;
    private boolean ipv6;
    private int serverPort = 8080;
    private boolean httpServers = true;
    private Predicate<String> serverSetup = line -> true;
    private boolean inProcessBalancer = true;
    private PassthroughSettings.Capture capture = PassthroughSettings.Capture.AUTO;
    private boolean checksumOffload;
    private boolean defaultOffloads;
    private int clientThreads = 32;
    private boolean udp;
    private boolean ipipStandIn;
    private FrontendGuard guard = FrontendGuard.OPEN;
    private AccessSink accessLog = AccessSink.OFF;
    private final List<Integer> moreClientHosts = new ArrayList<>();

    final NetNamespaces namespaces = new NetNamespaces();
    final List<String> serverNs = new ArrayList<>();
    final List<String> serverIps = new ArrayList<>();
    final List<ServerRef> refs = new ArrayList<>();
    final List<TinyHttpServer> http = new ArrayList<>();
    final List<ServerRef> udpRefs = new ArrayList<>();
    final List<UdpEchoServer> udpServers = new ArrayList<>();
    final List<IpipTunnelStandIn> tunnels = new ArrayList<>();
    String vip;
    String clientIp;
    /** The lab's addresses without their last part, e.g. "10.201.7." or "fd00:1:2::". */
    String prefix;
    String balancerIp;
    String client;
    String balancer;
    FirewallSetup firewall;
    List<FirewallSetup.Rule> firewallRules = List.of();
    TestScheduler scheduler;
    PacketDataPlane plane;
    ExecutorService clients;

    PacketLab(Delivery delivery) {
        this.delivery = delivery;
    }

    /** IPv6 addresses instead of IPv4 (passthrough and DSR nat only). */
    PacketLab ipv6() {
        ipv6 = true;
        return this;
    }

    /** The port the servers listen on (DSR l2 and ipip keep the VIP's port 80); 8080 unless set. */
    PacketLab serverPort(int port) {
        serverPort = port;
        return this;
    }

    /** No HTTP servers, for a test that only watches the wire. */
    PacketLab withoutHttpServers() {
        httpServers = false;
        return this;
    }

    /** Runs on each DSR server only the setup commands {@code runs} accepts; all of them unless set. */
    PacketLab serverSetup(Predicate<String> runs) {
        serverSetup = runs;
        return this;
    }

    /** Gives the balancer only its addresses: the test runs the daemon in {@link #balancer} as a process. */
    PacketLab balancerAsProcess() {
        inProcessBalancer = false;
        return this;
    }

    /** How the in-process data plane captures; {@code AUTO} unless set. */
    PacketLab capture(PassthroughSettings.Capture how) {
        capture = how;
        return this;
    }

    /**
     * True to leave TCP checksums to offload ("tx on") on the clients' and servers' veths and on every bridge port,
     * as containers on the balancer's host do: their segments then reach the capture with a partial checksum.
     */
    PacketLab checksumOffload(boolean on) {
        checksumOffload = on;
        return this;
    }

    /**
     * Leaves every offload at the kernel's default on every veth and bridge port (TSO, GSO, GRO, checksum offload),
     * as containers and VMs have them: senders hand the bridge 64 KB super-frames, which reach the balancer whole.
     */
    PacketLab defaultOffloads() {
        defaultOffloads = true;
        return this;
    }

    /**
     * Adds a UDP frontend on VIP:{@link #UDP_PORT} to UDP echo servers ({@link UdpEchoServer}) on each server: port
     * 5353 of its address, or VIP:53 for DSR l2 and ipip, which keep the destination.
     */
    PacketLab udp() {
        udp = true;
        return this;
    }

    /**
     * DSR ipip: gives each server an {@link IpipTunnelStandIn} as its tunl0 before the setup commands run, in place
     * of the {@code modprobe ipip} this kernel cannot do (that line is skipped), so that the servers decapsulate.
     */
    PacketLab ipipStandIn() {
        ipipStandIn = true;
        return this;
    }

    /** The size of the client namespace's thread pool ({@link #inClient}); 32 unless set. */
    PacketLab clientThreads(int threads) {
        clientThreads = threads;
        return this;
    }

    /** The frontend's allow/deny lists and rate limit; none unless set. */
    PacketLab guard(FrontendGuard frontendGuard) {
        guard = frontendGuard;
        return this;
    }

    /** Where the frontend's access-log entries go; nowhere unless set. */
    PacketLab accessLog(AccessSink sink) {
        accessLog = sink;
        return this;
    }

    /** Gives the client namespace another address, the lab's prefix and {@code host} (a test binds to it). */
    PacketLab clientAddress(int host) {
        moreClientHosts.add(host);
        return this;
    }

    /** Builds the topology and starts what was asked for; on failure deletes what was built and rethrows. */
    PacketLab start() throws Exception {
        try {
            build();
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void build() throws Exception {
        String prefix = ipv6 ? randomIpv6Prefix() : "10.201." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        vip = prefix + "10";
        balancerIp = prefix + "3";
        String sw = namespaces.create("sw");
        namespaces.exec(sw, "ip", "link", "add", "br0", "type", "bridge");
        namespaces.exec(sw, "ip", "link", "set", "br0", "up");
        clientIp = prefix + "2";
        client = attach(sw, "c", clientIp);
        for (int host : moreClientHosts) {
            addAddress(client, "vc", prefix + host);
        }
        this.prefix = prefix;
        balancer = attach(sw, "lb", balancerIp);
        addAddress(balancer, BALANCER_INTERFACE, vip);
        for (int i = 0; i < 2; i++) {
            startServer(sw, "s" + (i + 1), prefix + (4 + i));
        }
        clients = Executors.newFixedThreadPool(clientThreads, NetNamespaces.threadsIn(client));
        if (inProcessBalancer) {
            startDataPlane();
        }
    }

    private static String randomIpv6Prefix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "fd00:" + Integer.toHexString(random.nextInt(1, 0xFFFF)) + ":"
                + Integer.toHexString(random.nextInt(1, 0xFFFF)) + "::";
    }

    private void startServer(String sw, String name, String ip) throws Exception {
        String ns = attach(sw, name, ip);
        serverNs.add(ns);
        serverIps.add(ip);
        if (ipipStandIn) {
            // the reverse-path filter loose on all and on every new interface, as many distributions set it: the
            // printed setup must let decapsulated packets in all the same
            namespaces.exec(ns, "sysctl", "-w", "net.ipv4.conf.all.rp_filter=2", "net.ipv4.conf.default.rp_filter=2");
            tunnels.add(IpipTunnelStandIn.open(ns));
        }
        if (delivery.isDsr()) {
            for (String line : DsrServerSetup.commands(delivery, new InetSocketAddress(vip, VIP_PORT),
                    new InetSocketAddress(ip, serverPort))) {
                if (runs(line)) {
                    namespaces.exec(ns, "sh", "-c", line);
                }
            }
        }
        refs.add(ServerRef.of(name, InetAddress.getByName(ip), serverPort));
        if (udp) {
            // l2 and ipip keep the VIP and its port: bound to the VIP, the answer leaves from it too
            boolean keepsVip = delivery == Delivery.DSR_L2 || delivery == Delivery.DSR_IPIP;
            int port = keepsVip ? UDP_PORT : 5353;
            if (delivery.isDsr()) { // the UDP frontend's own lines, as an operator runs them for it
                for (String line : DsrServerSetup.commands(delivery, new InetSocketAddress(vip, UDP_PORT),
                        new InetSocketAddress(ip, port), Transport.udp(Duration.ofSeconds(5)))) {
                    if (runs(line)) {
                        namespaces.exec(ns, "sh", "-c", line);
                    }
                }
            }
            udpServers.add(new UdpEchoServer(name, ns, keepsVip ? vip : ip, port));
            udpRefs.add(ServerRef.of(name, InetAddress.getByName(ip), port));
        }
        if (httpServers) {
            // l2 and ipip keep the VIP as destination: listen on every address, the VIP on lo included.
            boolean keepsVip = delivery == Delivery.DSR_L2 || delivery == Delivery.DSR_IPIP;
            http.add(new TinyHttpServer(name, ns, keepsVip ? "0.0.0.0" : ip, serverPort));
        }
    }

    /** A setup line the servers run: not a comment, accepted by {@link #serverSetup}, not a stand-in's module. */
    private boolean runs(String line) {
        return !line.startsWith("#") && serverSetup.test(line) && !(ipipStandIn && line.equals("modprobe ipip"));
    }

    private void startDataPlane() throws Exception {
        scheduler = new TestScheduler(refs);
        List<PassthroughFrontend> frontends = new ArrayList<>(List.of(new PassthroughFrontend("web",
                InetAddress.getByName(vip), VIP_PORT, refs, scheduler, delivery, guard, accessLog)));
        if (udp) {
            frontends.add(new PassthroughFrontend("dns", InetAddress.getByName(vip), UDP_PORT, udpRefs,
                    new TestScheduler(udpRefs), delivery, InetAddress.getByName(vip), Transport.udp(Duration.ofSeconds(5))));
        }
        firewall = new FirewallSetup(List.of("ip", "netns", "exec", balancer));
        firewallRules = FirewallSetup.rulesFor(frontends);
        firewall.install(firewallRules);
        FlowTimeouts timeouts = new FlowTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofMillis(500));
        plane = new PacketDataPlane(new PassthroughSettings(BALANCER_INTERFACE, 2, 4096, timeouts,
                Duration.ofMillis(100), true, capture));
        NetNamespaces.callIn(balancer, () -> {
            plane.start(frontends);
            return null;
        });
    }

    /** Creates a namespace {@code role} with a veth "v{role}" into the bridge, its port "p{role}" in the switch. */
    private String attach(String sw, String role, String address) throws IOException {
        String ns = namespaces.create(role);
        String inside = "v" + role;
        String port = "p" + role;
        NetNamespaces.run("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw);
        namespaces.exec(sw, "ip", "link", "set", port, "master", "br0", "up");
        addAddress(ns, inside, address);
        namespaces.exec(ns, "ip", "link", "set", inside, "up");
        // Software checksums and segmentation on senders, no GRO on receivers: the capture then sees MTU-sized
        // frames with complete checksums, as on a physical NIC. With checksum offload the bridge's ports keep it
        // too, so a partial checksum reaches the balancer.
        if (!defaultOffloads) {
            setOffloads(ns, inside, checksumOffload && !inside.equals(BALANCER_INTERFACE));
            setOffloads(sw, port, checksumOffload);
        }
        return ns;
    }

    private void setOffloads(String ns, String device, boolean txChecksum) throws IOException {
        namespaces.exec(ns, "ethtool", "-K", device, "tx", txChecksum ? "on" : "off", "tso", "off", "gso", "off",
                "gro", "off");
    }

    private void addAddress(String ns, String device, String address) throws IOException {
        if (ipv6) {
            namespaces.exec(ns, "ip", "-6", "addr", "add", address + "/64", "dev", device, "nodad");
        } else {
            namespaces.exec(ns, "ip", "addr", "add", address + "/24", "dev", device);
        }
    }

    /**
     * Server {@code index} (0 for s1) vanishes without a word (its veth goes down: no FIN, no RST from its kernel)
     * and the health check notices.
     */
    void takeDown(int index) throws IOException {
        namespaces.exec(serverNs.get(index), "ip", "link", "set", "vs" + (index + 1), "down");
        scheduler.markDown(refs.get(index));
    }

    record Response(String server, long bytes, long crc) {}

    /** GET through the VIP from the client namespace: the X-Server header, the body's size and CRC. */
    Response get(String path) throws Exception {
        return inClient(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(vip, VIP_PORT), 5000);
                s.setSoTimeout(10_000);
                return exchange(s, path);
            }
        });
    }

    /** Sends a GET on a connected socket and reads the response to its end. */
    static Response exchange(Socket s, String path) throws IOException {
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

    /** PUTs {@code size} body bytes through the VIP: the server that took them, their count and CRC as it saw them. */
    Response upload(long size) throws Exception {
        return inClient(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(vip, VIP_PORT), 5000);
                s.setSoTimeout(30_000);
                var out = s.getOutputStream();
                out.write(("PUT /sink/" + size + " HTTP/1.0\r\nContent-Length: " + size + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < size; ) {
                    int n = (int) Math.min(chunk.length, size - sent);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = TinyHttpServer.bodyByte(sent + i);
                    }
                    out.write(chunk, 0, n);
                    sent += n;
                }
                out.flush();
                String head = TinyHttpServer.readHead(s.getInputStream());
                return new Response(header(head, "X-Server"), Long.parseLong(header(head, "X-Bytes")),
                        Long.parseLong(header(head, "X-Crc")));
            }
        });
    }

    private static String header(String head, String name) {
        return head.lines().filter(l -> l.startsWith(name + ": ")).findFirst().orElseThrow()
                .substring(name.length() + 2);
    }

    <T> T inClient(Callable<T> task) throws Exception {
        return clients.submit(task).get(120, TimeUnit.SECONDS);
    }

    /** Bytes the balancer's interface has received, from the kernel's counters in its namespace. */
    long balancerRxBytes() throws IOException {
        String path = "/sys/class/net/" + BALANCER_INTERFACE + "/statistics/rx_bytes";
        return Long.parseLong(namespaces.exec(balancer, "cat", path).strip());
    }

    /** The CRC-32 of the first {@code size} bytes of every {@link TinyHttpServer} body. */
    static long expectedCrc(long size) {
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

    @Override
    public void close() {
        if (clients != null) {
            clients.shutdownNow();
        }
        if (plane != null) {
            plane.close();
        }
        udpServers.forEach(UdpEchoServer::close);
        for (IpipTunnelStandIn tunnel : tunnels) {
            try {
                tunnel.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (TinyHttpServer s : http) {
            try {
                s.close();
            } catch (IOException e) {
                log.warn("server close failed: {}", e.toString());
            }
        }
        namespaces.close();
    }
}
