package io.convey.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The commands a server needs for direct server return, filled in with the frontend's VIP and the server's
 * address: shell lines to run as root on the server, in order, with {@code #} comments. Pure: the same input gives
 * the same lines, so the daemon can print them at start and {@code convey --print-server-setup} on demand.
 *
 * <p>nat: a stateless nftables rewrite of the reply's source in the output hook, before conntrack (priority raw).
 * nft's payload write patches the IP header checksum and the TCP checksum with it ({@code csum_flags 0x1}, the
 * pseudo-header, for addresses; the TCP checksum for the port), so no separate checksum step is needed. Replies
 * to the VIP itself, the source the balancer's health checks come from, are left alone. The tc form of the
 * original convey (with the old address that its README lost) is printed as a commented alternative. An IPv6 VIP
 * gets the same rule in nft's ip6 family (nft patches the TCP checksum for ip6 addresses alike); tc's nat action
 * is IPv4-only.
 * l2 and ipip: the VIP on loopback, not announced or answered in ARP (IPVS's direct routing and tunnelling).
 */
public final class DsrServerSetup {
    static final String TABLE = "convey_dsr";
    /** An MSS that leaves room for the 20-byte outer header on a 1500-byte link. */
    static final int TUNNEL_MSS = 1440;

    private DsrServerSetup() {}

    /** The lines for one server of a TCP frontend, for its DSR method. */
    public static List<String> commands(Delivery method, InetSocketAddress vip, InetSocketAddress server) {
        return commands(method, vip, server, Transport.TCP);
    }

    /**
     * The lines for one server of a frontend, for its DSR method and transport: a UDP frontend's nat rule matches
     * and rewrites UDP's source port (nft then patches the UDP checksum, and leaves a zero one alone), and ipip needs
     * no MSS clamp for it.
     */
    public static List<String> commands(Delivery method, InetSocketAddress vip, InetSocketAddress server,
                                        Transport transport) {
        Objects.requireNonNull(method, "method");
        String protocol = transport.word();
        if (method == Delivery.DSR_NAT && vip.getAddress() instanceof Inet6Address) {
            return nat("ip6", protocol, host(vip, "vip"), vip.getPort(), ipv6(server), server.getPort());
        }
        String vipIp = ipv4(vip, "vip");
        String serverIp = ipv4(server, "server");
        int vipPort = vip.getPort();
        int serverPort = server.getPort();
        return switch (method) {
            case DSR_NAT -> nat("ip", protocol, vipIp, vipPort, serverIp, serverPort);
            case DSR_L2 -> l2(vipIp, vipPort, serverPort);
            case DSR_IPIP -> ipip(vipIp, vipPort, serverIp, serverPort, transport.isUdp());
            case PASSTHROUGH -> throw new IllegalArgumentException("method: passthrough (expected: nat, l2 or ipip)");
        };
    }

    /** A script for every server of one TCP frontend, each section headed by a comment naming it. */
    public static String script(String frontend, Delivery method, InetSocketAddress vip,
                                Map<String, InetSocketAddress> servers) {
        return script(frontend, method, vip, servers, Transport.TCP);
    }

    /** A script for every server of one frontend of either transport. */
    public static String script(String frontend, Delivery method, InetSocketAddress vip,
                                Map<String, InetSocketAddress> servers, Transport transport) {
        StringBuilder out = new StringBuilder();
        out.append("# frontend ").append(frontend).append(": VIP ").append(endpoint(vip, "vip"))
                .append(", dsr_method ").append(method.id()).append('\n');
        servers.forEach((name, address) -> {
            out.append("# server ").append(name).append(" (").append(endpoint(address, "server"))
                    .append("): run as root on the server\n");
            commands(method, vip, address, transport).forEach(line -> out.append(line).append('\n'));
        });
        return out.toString();
    }

    /** The nft rule in the VIP's family ("ip" or "ip6"), and for IPv4 the tc form where tc can do it. */
    private static List<String> nat(String family, String protocol, String vip, int vipPort, String server,
                                    int serverPort) {
        boolean ipv6 = family.equals("ip6");
        String vipAt = ipv6 ? "[" + vip + "]" : vip;
        String serverAt = ipv6 ? "[" + server + "]" : server;
        List<String> lines = new ArrayList<>();
        lines.add("# dsr_method nat: client packets arrive for " + serverAt + ":" + serverPort
                + " from the client's address; replies must leave from " + vipAt + ":" + vipPort);
        lines.add("nft add table " + family + " " + TABLE);
        lines.add("nft add chain " + family + " " + TABLE
                + " out '{ type filter hook output priority raw; policy accept; }'");
        lines.add("nft add rule " + family + " " + TABLE + " out " + family + " saddr " + server + " " + protocol
                + " sport " + serverPort + " " + family + " daddr != " + vip + " " + family + " saddr set " + vip
                + (serverPort == vipPort ? "" : " " + protocol + " sport set " + vipPort));
        if (ipv6) {
            lines.add("# no tc alternative for IPv6: tc's nat action rewrites IPv4 addresses only");
        } else if (serverPort == vipPort) {
            lines.add("# alternative with tc instead of nft (<IF> = the interface toward the clients):");
            lines.add("#   tc qdisc add dev <IF> root handle 10: htb");
            lines.add("#   tc filter add dev <IF> parent 10: protocol ip prio 1 u32 match ip src " + server
                    + "/32 match ip sport " + serverPort + " 0xffff match ip dst " + vip + "/32 action ok");
            lines.add("#   tc filter add dev <IF> parent 10: protocol ip prio 10 u32 match ip src " + server
                    + "/32 match ip sport " + serverPort + " 0xffff action nat egress " + server + "/32 " + vip);
        } else {
            lines.add("# no tc alternative: tc's nat action rewrites addresses only, and this server listens on "
                    + serverPort + ", not on the VIP's port " + vipPort);
        }
        return lines;
    }

    private static List<String> l2(String vip, int vipPort, int serverPort) {
        List<String> lines = new ArrayList<>();
        lines.add("# dsr_method l2: client frames arrive unchanged (for " + vip + ":" + vipPort
                + ") on this server's MAC; it holds the VIP on loopback and never answers ARP for it");
        lines.addAll(loopbackVip(vip));
        lines.addAll(listenNote(vip, vipPort, serverPort, "l2"));
        return lines;
    }

    private static List<String> ipip(String vip, int vipPort, String server, int serverPort, boolean udp) {
        List<String> lines = new ArrayList<>();
        lines.add("# dsr_method ipip: client packets (for " + vip + ":" + vipPort
                + ") arrive inside IP-in-IP from the balancer's address to " + server + "; the server decapsulates");
        lines.add("modprobe ipip");
        lines.add("ip link set tunl0 up");
        // The kernel's reverse-path check (fib_validate_source) drops a packet that comes in on a device without an
        // IPv4 address, as tunl0 is here, in loose mode too; it applies the larger of "all" and the device's value.
        lines.add("# decapsulated packets come in on tunl0, which has no address, and their replies go out elsewhere:"
                + " no reverse-path check on tunl0 (the kernel takes the larger of all and tunl0; other interfaces"
                + " keep their own)");
        lines.add("sysctl -w net.ipv4.conf.tunl0.rp_filter=0");
        lines.add("sysctl -w net.ipv4.conf.all.rp_filter=0");
        lines.addAll(loopbackVip(vip));
        if (udp) {
            lines.addAll(listenNote(vip, vipPort, serverPort, "ipip"));
            return lines; // no MSS to clamp: datagrams larger than the path's MTU less 20 bytes are fragmented
        }
        lines.add("# the outer header takes 20 bytes: advertise an MSS that leaves room for it");
        lines.add("nft add table ip " + TABLE);
        lines.add("nft add chain ip " + TABLE + " out '{ type filter hook output priority raw; policy accept; }'");
        lines.add("nft add rule ip " + TABLE + " out ip saddr " + vip + " tcp sport " + vipPort
                + " 'tcp flags & (syn | ack) == syn | ack' tcp option maxseg size set " + TUNNEL_MSS);
        lines.addAll(listenNote(vip, vipPort, serverPort, "ipip"));
        return lines;
    }

    private static List<String> loopbackVip(String vip) {
        return List.of(
                "sysctl -w net.ipv4.conf.all.arp_ignore=1",
                "sysctl -w net.ipv4.conf.all.arp_announce=2",
                "ip addr replace " + vip + "/32 dev lo");
    }

    private static List<String> listenNote(String vip, int vipPort, int serverPort, String method) {
        if (serverPort == vipPort) {
            return List.of();
        }
        return List.of("# dsr_method " + method + " keeps the port: the service must listen on " + vipPort
                + " (any address, or " + vip + "); the configured port " + serverPort + " only takes health checks");
    }

    private static String ipv6(InetSocketAddress server) {
        Objects.requireNonNull(server, "server");
        if (!(server.getAddress() instanceof Inet6Address ip)) {
            throw new IllegalArgumentException("server: " + server + " (expected: an IPv6 address, like the VIP)");
        }
        return Ipv6.format(ip);
    }

    private static String host(InetSocketAddress address, String name) {
        Objects.requireNonNull(address, name);
        return address.getAddress() instanceof Inet6Address ip ? Ipv6.format(ip) : ipv4(address, name);
    }

    /** {@code ip:port}, or {@code [ipv6]:port}. */
    private static String endpoint(InetSocketAddress address, String name) {
        String host = host(address, name);
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String ipv4(InetSocketAddress address, String name) {
        Objects.requireNonNull(address, name);
        if (!(address.getAddress() instanceof Inet4Address ip)) {
            throw new IllegalArgumentException(name + ": " + address + " (expected: an IPv4 address)");
        }
        return ip.getHostAddress();
    }
}
