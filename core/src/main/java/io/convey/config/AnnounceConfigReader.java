package io.convey.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/** Reads {@code [bgp]}, {@code [bgp.peers.<name>]} and {@code [vrrp]} through the loader's typed accessors. */
final class AnnounceConfigReader {
    static final Set<String> ROOT_KEYS = Set.of("bgp", "vrrp");
    private static final Set<String> BGP_KEYS = Set.of("local_as", "router_id", "hold_time_s", "bfd", "communities",
            "med_drain", "control_socket", "peers");
    private static final Set<String> PEER_KEYS = Set.of("address", "remote_as", "port", "multihop", "local_address");
    private static final Set<String> VRRP_KEYS = Set.of("interface", "virtual_router_id", "priority", "advert_int_s",
            "peers", "auth_pass", "notify_fifo", "include_file");
    private static final long MAX_AS = 4_294_967_295L;
    /** A standard community (two 16-bit halves) or a large one (three 32-bit parts, RFC 8092). */
    private static final Pattern COMMUNITY = Pattern.compile("\\d{1,10}:\\d{1,10}(:\\d{1,10})?");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");

    private final ConfigLoader loader;
    private final Path baseDir;

    AnnounceConfigReader(ConfigLoader loader, Path baseDir) {
        this.loader = loader;
        this.baseDir = baseDir;
    }

    AnnounceConfig read() {
        Optional<BgpConfig> bgp = Optional.ofNullable(readBgp());
        Optional<VrrpConfig> vrrp = Optional.ofNullable(readVrrp());
        return new AnnounceConfig(bgp, vrrp);
    }

    private BgpConfig readBgp() {
        List<String> path = List.of("bgp");
        TomlTable bgp = loader.table(List.of(), "bgp");
        if (bgp == null) {
            return null;
        }
        loader.warnUnknown(bgp, path, BGP_KEYS);
        int errors = loader.errorCount();
        long localAs = required(bgp, path, "local_as", 1, MAX_AS);
        InetAddress routerId = ip(bgp, path, "router_id", true);
        if (routerId != null && !(routerId instanceof Inet4Address)) {
            loader.error(ConfigLoader.append(path, "router_id"), ConfigLoader.render(loader.string(bgp, path,
                    "router_id", true)) + " (expected: an IPv4 address, e.g. \"192.0.2.1\", as BGP identifiers are)");
        }
        // 0 turns keepalives off (RFC 4271 §4.2); otherwise at least 3 seconds.
        long hold = loader.integer(bgp, path, "hold_time_s", BgpConfig.DEFAULT_HOLD_TIME.toSeconds(), 0, 65_535);
        if (hold > 0 && hold < 3) {
            loader.error(ConfigLoader.append(path, "hold_time_s"), hold + " (expected: 0 or 3-65535, RFC 4271)");
        }
        boolean bfd = loader.bool(bgp, path, "bfd", false);
        List<String> communities = communities(bgp, path);
        long med = loader.integer(bgp, path, "med_drain", -1, 0, MAX_AS);
        String socket = loader.string(bgp, path, "control_socket", false);
        Map<String, BgpPeerConfig> peers = peers(path);
        peers.values().stream().filter(p -> bfd && p.multihop() > 0 && p.localAddress().isEmpty()).forEach(p ->
                loader.error(List.of("bgp", "peers", p.name(), "local_address"), "missing (expected: the address the"
                        + " session leaves from, which BFD needs on a multihop session)"));
        if (loader.errorCount() > errors || routerId == null) {
            return null;
        }
        return new BgpConfig(localAs, (Inet4Address) routerId, Duration.ofSeconds(hold), bfd, communities,
                med < 0 ? OptionalLong.empty() : OptionalLong.of(med),
                socket == null ? BgpConfig.DEFAULT_CONTROL_SOCKET : baseDir.resolve(socket).normalize(), peers);
    }

    private Map<String, BgpPeerConfig> peers(List<String> bgpPath) {
        Map<String, BgpPeerConfig> peers = new LinkedHashMap<>();
        List<String> path = ConfigLoader.append(bgpPath, "peers");
        TomlTable table = loader.table(bgpPath, "peers");
        if (table == null || table.isEmpty()) {
            loader.error(path, "missing (expected: at least one [bgp.peers.<name>] with address and remote_as)");
            return peers;
        }
        for (String name : table.keySet()) {
            List<String> peerPath = ConfigLoader.append(path, name);
            TomlTable peer = loader.table(path, name);
            if (peer == null) {
                continue;
            }
            loader.warnUnknown(peer, peerPath, PEER_KEYS);
            if (!name.matches("[A-Za-z0-9_]{1,32}")) {
                loader.error(peerPath, ConfigLoader.render(name) + " (expected: a name of letters, digits and _,"
                        + " at most 32, as BIRD protocol names are)");
            }
            InetAddress address = ip(peer, peerPath, "address", true);
            long remoteAs = required(peer, peerPath, "remote_as", 1, MAX_AS);
            int port = (int) loader.integer(peer, peerPath, "port", BgpPeerConfig.DEFAULT_PORT, 1, 65_535);
            int multihop = (int) loader.integer(peer, peerPath, "multihop", 0, 0, 255);
            InetAddress local = ip(peer, peerPath, "local_address", false);
            if (address != null && remoteAs > 0) {
                peers.put(name, new BgpPeerConfig(name, address, remoteAs, port, multihop, Optional.ofNullable(local)));
            }
        }
        return peers;
    }

    private List<String> communities(TomlTable bgp, List<String> path) {
        List<String> out = new ArrayList<>();
        Object value = bgp.get(List.of("communities"));
        if (value == null) {
            return out;
        }
        List<String> key = ConfigLoader.append(path, "communities");
        if (!(value instanceof TomlArray array)) {
            loader.error(key, ConfigLoader.render(value) + " (expected: an array such as [\"65000:100\"])");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            Object item = array.get(i);
            if (item instanceof String s && COMMUNITY.matcher(s).matches() && communityFits(s)) {
                out.add(s);
            } else {
                loader.error(key, ConfigLoader.render(item) + " (expected: \"asn:value\" with 16-bit parts, or a large"
                        + " community \"asn:value:value\" with 32-bit parts)");
            }
        }
        return out;
    }

    private static boolean communityFits(String community) {
        String[] parts = community.split(":");
        long max = parts.length == 2 ? 65_535 : MAX_AS;
        for (String part : parts) {
            if (Long.parseLong(part) > max) {
                return false;
            }
        }
        return true;
    }

    private VrrpConfig readVrrp() {
        List<String> path = List.of("vrrp");
        TomlTable vrrp = loader.table(List.of(), "vrrp");
        if (vrrp == null) {
            return null;
        }
        loader.warnUnknown(vrrp, path, VRRP_KEYS);
        int errors = loader.errorCount();
        String iface = loader.string(vrrp, path, "interface", true);
        if (iface != null && !INTERFACE.matcher(iface).matches()) {
            loader.error(ConfigLoader.append(path, "interface"), ConfigLoader.render(iface)
                    + " (expected: an interface name of at most 15 characters)");
        }
        long vrid = required(vrrp, path, "virtual_router_id", 1, 255);
        long priority = loader.integer(vrrp, path, "priority", VrrpConfig.DEFAULT_PRIORITY, 1, 254);
        long advert = loader.integer(vrrp, path, "advert_int_s", 1, 1, 255);
        List<InetAddress> peers = addresses(vrrp, path, "peers");
        String pass = loader.string(vrrp, path, "auth_pass", false);
        if (pass != null && (pass.isEmpty() || pass.length() > 8 || !pass.matches("[\\x21-\\x7e]+"))) {
            loader.error(ConfigLoader.append(path, "auth_pass"), "(hidden) (expected: 1-8 printable characters, no"
                    + " spaces; VRRPv2 keeps only 8)");
        }
        String fifo = loader.string(vrrp, path, "notify_fifo", false);
        String include = loader.string(vrrp, path, "include_file", false);
        if (include != null && (include.isBlank() || include.endsWith("/"))) {
            loader.error(ConfigLoader.append(path, "include_file"), ConfigLoader.render(include)
                    + " (expected: a file path, such as \"/etc/keepalived/conf.d/convey.conf\")");
        }
        if (loader.errorCount() > errors) {
            return null;
        }
        return new VrrpConfig(iface, (int) vrid, (int) priority, Duration.ofSeconds(advert), peers,
                Optional.ofNullable(pass), fifo == null ? VrrpConfig.DEFAULT_NOTIFY_FIFO : baseDir.resolve(fifo).normalize(),
                Optional.ofNullable(include).map(f -> baseDir.resolve(f).normalize()));
    }

    private List<InetAddress> addresses(TomlTable table, List<String> path, String key) {
        List<InetAddress> out = new ArrayList<>();
        Object value = table.get(List.of(key));
        if (value == null) {
            return out;
        }
        List<String> keyPath = ConfigLoader.append(path, key);
        if (!(value instanceof TomlArray array)) {
            loader.error(keyPath, ConfigLoader.render(value) + " (expected: an array of IP addresses)");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            InetAddress a = array.get(i) instanceof String s ? parseIp(s) : null;
            if (a == null) {
                loader.error(keyPath, ConfigLoader.render(array.get(i)) + " (expected: an IP address)");
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** An integer that must be present; 0 when missing or out of range (a problem is recorded). */
    private long required(TomlTable table, List<String> path, String key, long min, long max) {
        if (table.get(List.of(key)) == null) {
            loader.error(ConfigLoader.append(path, key), "missing (expected: " + min + "-" + max + ")");
            return 0;
        }
        return loader.integer(table, path, key, 0, min, max);
    }

    private InetAddress ip(TomlTable table, List<String> path, String key, boolean required) {
        String text = loader.string(table, path, key, required);
        if (text == null) {
            return null;
        }
        InetAddress address = parseIp(text);
        if (address == null || address.isAnyLocalAddress()) {
            loader.error(ConfigLoader.append(path, key), ConfigLoader.render(text)
                    + " (expected: an IP address such as \"192.0.2.1\" or \"2001:db8::1\"; hostnames are not resolved)");
            return null;
        }
        return address;
    }

    /** A literal address through the same parser as ip:port literals (never DNS), or null. */
    static InetAddress parseIp(String text) {
        try {
            String literal = text.contains(":") ? "[" + text + "]:1" : text + ":1";
            return SocketAddresses.parse(literal).getAddress();
        } catch (SocketAddresses.InvalidAddressException e) {
            return null;
        }
    }
}
