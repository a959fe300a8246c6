package io.convey.packet;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
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
 * A DSR topology in namespaces the lab owns: client (.2), balancer (.3, VIP .10) and two servers (.4, .5) on one
 * bridge in 10.201.x.0/24. Servers are set up with the commands {@link DsrServerSetup} prints, run inside their
 * namespaces; the balancer runs the packet data plane on a thread moved into its namespace. Closing deletes all.
 */
final class DsrLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DsrLab.class);
    static final int VIP_PORT = 80;

    final NetNamespaces namespaces = new NetNamespaces();
    final String subnet = "10.201." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    final String vip = subnet + "10";
    final String balancerIp = subnet + "3";
    final List<String> serverNs = new ArrayList<>();
    final List<String> serverIps = List.of(subnet + "4", subnet + "5");
    final List<ServerRef> refs = new ArrayList<>();
    final List<TinyHttpServer> http = new ArrayList<>();
    String client;
    String balancer;
    TestScheduler scheduler;
    PacketDataPlane plane;
    ExecutorService clients;
    private boolean inProcessBalancer = true;

    /**
     * Builds the topology, runs on each server the setup commands that {@code runs} accepts, optionally starts an
     * HTTP server on each (port {@code serverPort}), and starts the balancer with one frontend VIP:80.
     */
    static DsrLab start(Delivery method, int serverPort, boolean httpServers, Predicate<String> runs)
            throws Exception {
        return start(method, serverPort, httpServers, runs, true);
    }

    /**
     * As above; with {@code inProcessBalancer} false the balancer namespace gets only its addresses, for tests
     * that run the real daemon there as a process. For passthrough, servers need no setup.
     */
    static DsrLab start(Delivery method, int serverPort, boolean httpServers, Predicate<String> runs,
            boolean inProcessBalancer) throws Exception {
        DsrLab lab = new DsrLab();
        lab.inProcessBalancer = inProcessBalancer;
        try {
            lab.build(method, serverPort, httpServers, runs);
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    private void build(Delivery method, int serverPort, boolean httpServers, Predicate<String> runs)
            throws Exception {
        String sw = namespaces.create("sw");
        namespaces.exec(sw, "ip", "link", "add", "br0", "type", "bridge");
        namespaces.exec(sw, "ip", "link", "set", "br0", "up");
        client = attach(sw, "c", subnet + "2");
        balancer = attach(sw, "lb", balancerIp);
        namespaces.exec(balancer, "ip", "addr", "add", vip + "/24", "dev", "vlb");
        InetSocketAddress vipAddress = new InetSocketAddress(vip, VIP_PORT);
        for (int i = 0; i < serverIps.size(); i++) {
            String name = "s" + (i + 1);
            String ns = attach(sw, name, serverIps.get(i));
            serverNs.add(ns);
            List<String> setup = method == Delivery.PASSTHROUGH ? List.of()
                    : DsrServerSetup.commands(method, vipAddress, new InetSocketAddress(serverIps.get(i), serverPort));
            for (String line : setup) {
                if (!line.startsWith("#") && runs.test(line)) {
                    namespaces.exec(ns, "sh", "-c", line);
                }
            }
            refs.add(new ServerRef(name, FrameBuilder.ip(serverIps.get(i)), serverPort));
            if (httpServers) {
                // l2 and ipip keep the VIP as destination: listen on every address, the VIP on lo included.
                String listen = method == Delivery.DSR_NAT ? serverIps.get(i) : "0.0.0.0";
                http.add(new TinyHttpServer(name, ns, listen, serverPort));
            }
        }
        clients = Executors.newFixedThreadPool(32, NetNamespaces.threadsIn(client));
        if (!inProcessBalancer) {
            return;
        }
        scheduler = new TestScheduler(refs);
        List<PassthroughFrontend> frontends = List.of(new PassthroughFrontend("web",
                (Inet4Address) Inet4Address.getByName(vip), VIP_PORT, refs, scheduler, method));
        new FirewallSetup(List.of("ip", "netns", "exec", balancer)).install(FirewallSetup.rulesFor(frontends));
        FlowTimeouts timeouts = new FlowTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofMillis(500));
        plane = new PacketDataPlane(new PassthroughSettings("vlb", 2, 4096, timeouts, Duration.ofMillis(100), true));
        NetNamespaces.callIn(balancer, () -> {
            plane.start(frontends);
            return null;
        });
    }

    /** Creates a namespace with a veth into the switch bridge, offloads off as on the passthrough test. */
    private String attach(String sw, String role, String address) throws IOException {
        String ns = namespaces.create(role);
        String inside = "v" + role;
        String port = "p" + role;
        NetNamespaces.run("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw);
        namespaces.exec(sw, "ip", "link", "set", port, "master", "br0", "up");
        namespaces.exec(ns, "ip", "addr", "add", address + "/24", "dev", inside);
        namespaces.exec(ns, "ip", "link", "set", inside, "up");
        namespaces.exec(ns, "ethtool", "-K", inside, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        namespaces.exec(sw, "ethtool", "-K", port, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        return ns;
    }

    record Response(String server, long bytes, long crc) {}

    /** GET through the VIP from the client namespace. */
    Response get(String path) throws Exception {
        return inClient(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(vip, VIP_PORT), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String head = TinyHttpServer.readHead(in);
                String server = head.lines().filter(l -> l.startsWith("X-Server: ")).findFirst().orElseThrow()
                        .substring(10);
                CRC32 crc = new CRC32();
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    crc.update(buffer, 0, n);
                    total += n;
                }
                return new Response(server, total, crc.getValue());
            }
        });
    }

    <T> T inClient(Callable<T> task) throws Exception {
        return clients.submit(task).get(120, TimeUnit.SECONDS);
    }

    /** Bytes the balancer's interface has received, from the kernel's counters in its namespace. */
    long balancerRxBytes() throws IOException {
        return Long.parseLong(namespaces.exec(balancer, "cat", "/sys/class/net/vlb/statistics/rx_bytes").strip());
    }

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
