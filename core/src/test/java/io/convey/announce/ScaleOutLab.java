package io.convey.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.config.ConfigLoader;
import io.convey.packet.NetNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The namespaces the scale-out labs share: appliances, servers and a router on one bridged segment
 * ({@link #segment}); for ECMP ({@link #ecmp}) a router running BIRD with {@code merge paths on} and
 * {@code fib_multipath_hash_policy = 1}, a client behind it, appliances a and b with BIRD as
 * {@code --print-bgp-setup} prints it and Convey, and the servers 10.1.0.21 and 10.1.0.22. Everything is removed at
 * {@link #close()}; configs and logs stay in the test's folder.
 */
final class ScaleOutLab implements AutoCloseable {
    static final String VIP = "10.99.0.10";
    static final String ROUTER = "10.1.0.1";
    static final String A = "10.1.0.11";
    static final String B = "10.1.0.12";
    static final String CLIENT = "10.9.0.2";
    static final List<String> SERVERS = List.of("10.1.0.21", "10.1.0.22");
    private static final Pattern VIA = Pattern.compile("via (\\S+)");

    final NetNamespaces namespaces = new NetNamespaces();
    final Path dir;
    String router;
    String client;
    /** Appliance name (a, b) to namespace. */
    final Map<String, String> appliance = new LinkedHashMap<>();
    /** The servers' namespaces: one holding both addresses, or one per server. */
    final List<String> servers = new ArrayList<>();
    private final List<java.net.ServerSocket> listeners = new ArrayList<>();

    private ScaleOutLab(Path dir) {
        this.dir = dir;
    }

    /**
     * Builds the ECMP topology with the servers in {@code serverNamespaces} namespaces (1: both addresses in one, 2:
     * one each); the router runs BIRD. The appliances have their default route through the router and nothing else.
     */
    static ScaleOutLab ecmp(Path dir, int serverNamespaces) throws IOException {
        ScaleOutLab lab = new ScaleOutLab(dir);
        try {
            lab.buildEcmp(serverNamespaces);
            return lab;
        } catch (IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void buildEcmp(int serverNamespaces) throws IOException {
        router = namespaces.create("r");
        client = namespaces.create("c");
        String lan = namespaces.create("lan");
        appliance.put("a", namespaces.create("a"));
        appliance.put("b", namespaces.create("b"));
        for (int i = 0; i < serverNamespaces; i++) {
            servers.add(namespaces.create(serverNamespaces == 1 ? "srv" : "s" + (i + 1)));
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put(router, ROUTER + "/24");
        addresses.put(appliance.get("a"), A + "/24");
        addresses.put(appliance.get("b"), B + "/24");
        for (int i = 0; i < servers.size(); i++) {
            addresses.put(servers.get(i), SERVERS.get(i) + "/24");
        }
        segment(namespaces, lan, addresses);
        if (servers.size() == 1) {
            namespaces.exec(servers.getFirst(), "ip", "address", "add", SERVERS.get(1) + "/24", "dev", "eth0");
        }
        namespaces.exec(router, "ip", "link", "add", "cl", "type", "veth", "peer", "name", "eth0", "netns", client);
        namespaces.exec(router, "ip", "address", "add", "10.9.0.1/24", "dev", "cl");
        namespaces.exec(router, "ip", "link", "set", "cl", "up");
        namespaces.exec(client, "ip", "address", "add", CLIENT + "/24", "dev", "eth0");
        namespaces.exec(client, "ip", "link", "set", "eth0", "up");
        namespaces.exec(client, "ip", "route", "add", "default", "via", "10.9.0.1");
        namespaces.exec(router, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.fib_multipath_hash_policy=1");
        for (String ns : appliance.values()) {
            namespaces.exec(ns, "ip", "route", "add", "default", "via", ROUTER);
        }
        bird(router, "router", routerBird());
    }

    /** A bridge in {@code lan} and one veth per namespace into it, its end named eth0 with the given address. */
    static void segment(NetNamespaces namespaces, String lan, Map<String, String> addresses) throws IOException {
        namespaces.exec(lan, "ip", "link", "add", "br0", "type", "bridge");
        namespaces.exec(lan, "ip", "link", "set", "br0", "up");
        int port = 0;
        for (var e : addresses.entrySet()) {
            String peer = "p" + port++;
            namespaces.exec(lan, "ip", "link", "add", peer, "type", "veth", "peer", "name", "eth0", "netns", e.getKey());
            namespaces.exec(lan, "ip", "link", "set", peer, "master", "br0", "up");
            namespaces.exec(e.getKey(), "ip", "address", "add", e.getValue(), "dev", "eth0");
            namespaces.exec(e.getKey(), "ip", "link", "set", "eth0", "up");
        }
    }

    /** The address of appliance a or b on the segment. */
    static String address(String name) {
        return name.equals("a") ? A : B;
    }

    /** BIRD's control socket of appliance a or b (or of the router), for the [bgp] section. */
    Path birdSocket(String name) {
        return dir.resolve(name + "-bird.ctl");
    }

    /** Runs BIRD in {@code ns} with {@code config}, its socket and log named after {@code name}. */
    void bird(String ns, String name, String config) throws IOException {
        Path conf = dir.resolve(name + "-bird.conf");
        Files.writeString(conf, config);
        namespaces.spawn(ns, dir.resolve(name + "-bird.log"), "bird", "-f", "-c", conf.toString(), "-s",
                birdSocket(name).toString(), "-P", dir.resolve(name + "-bird.pid").toString());
    }

    /**
     * Writes {@code toml} as appliance {@code name}'s config, starts its BIRD with what {@code --print-bgp-setup} gives
     * for it, and starts the daemon with {@code flags} (e.g. {@code -p}); returns the daemon.
     */
    Process startAppliance(String name, String toml, String... flags) throws IOException {
        Files.createDirectories(dir.resolve(name));
        Files.writeString(dir.resolve(name).resolve("convey.toml"), toml);
        bird(appliance.get(name), name, BirdSetup.config(ConfigLoader.parse(toml, name + ".toml").config().orElseThrow()));
        return startDaemon(name, flags);
    }

    /** Starts appliance {@code name}'s daemon on the config it has, output in {@code <name>-convey.log}. */
    Process startDaemon(String name, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty(
                "java.class.path"), "io.convey.Main"));
        command.addAll(List.of(flags));
        command.add("--config=" + dir.resolve(name).resolve("convey.toml"));
        return namespaces.spawn(appliance.get(name), dir.resolve(name + "-convey.log"), command.toArray(String[]::new));
    }

    /** Waits until the router routes the VIP through both appliances. */
    void awaitBothNextHops() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(nextHops()).containsExactlyInAnyOrder(A, B));
    }

    /** The [bgp] section of appliance {@code name}, peering with the router ({@code extra}: more keys of [bgp]). */
    String bgpSection(String name, String extra) {
        return """
                [bgp]
                local_as = 65001
                router_id = "%s"
                hold_time_s = 3
                control_socket = "%s"
                %s
                  [bgp.peers.router]
                  address = "%s"
                  remote_as = 65000
                """.formatted(address(name), birdSocket(name), extra, ROUTER);
    }

    static String routerBird() {
        return """
                log stderr all;
                router id %s;
                protocol device { scan time 10; }
                protocol kernel {
                  ipv4 { import none; export all; };
                  merge paths on;
                }
                protocol bgp a { local as 65000; neighbor %s as 65001; hold time 3; ipv4 { import all; export none; }; }
                protocol bgp b { local as 65000; neighbor %s as 65001; hold time 3; ipv4 { import all; export none; }; }
                """.formatted(ROUTER, A, B);
    }

    /** The router's next hops for {@code prefix} (the VIP by default), as its kernel holds them. */
    List<String> nextHops() throws IOException {
        return nextHops(VIP);
    }

    List<String> nextHops(String address) throws IOException {
        String route = namespaces.exec(router, "ip", "route", "show", address + "/32");
        List<String> hops = new ArrayList<>();
        Matcher m = VIA.matcher(route);
        while (m.find()) {
            hops.add(m.group(1));
        }
        return hops;
    }

    /**
     * Listens on {@code port} of each server address, in the servers' namespace, and answers every connection with
     * one line, "{@code <address it came from> <server address>}", then closes: the address it came from names the
     * appliance (proxy or passthrough source) that carried it.
     */
    void startPeerEchoServers(int port) throws Exception {
        for (int i = 0; i < SERVERS.size(); i++) {
            String address = SERVERS.get(i);
            String ns = servers.get(Math.min(i, servers.size() - 1));
            java.net.ServerSocket socket = NetNamespaces.callIn(ns, () -> {
                java.net.ServerSocket s = new java.net.ServerSocket();
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress(address, port), 1024);
                return s;
            });
            listeners.add(socket);
            Thread.ofVirtual().name("peer-echo-" + address).start(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket c = socket.accept()) {
                        c.getOutputStream().write((c.getInetAddress().getHostAddress() + " " + address + "\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // a health check that closed at once, or the lab closing
                    }
                }
            });
        }
    }

    @Override
    public void close() {
        for (java.net.ServerSocket s : listeners) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        namespaces.close();
    }
}
