package io.convey.announce;

import io.convey.config.BgpConfig;
import io.convey.config.BgpPeerConfig;
import io.convey.config.ConveyConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The BIRD 2 configuration for one appliance ({@code convey --print-bgp-setup}): the VIPs the daemon holds on its
 * devices become routes through the {@code direct} protocol, and each peer gets them through an export filter that
 * lets only the configured VIPs out, with the communities, and the drain MED for those on the drain device.
 *
 * <p>BIRD 2 rather than ExaBGP or GoBGP: it is in Debian, it does ECMP on the router side ({@code merge paths}),
 * BFD, and it exports exactly the addresses present on an interface, which is what makes a killed daemon's
 * announcement disappear without any process watching it (see {@link TunVipLink}). Its control socket gives the
 * sessions' state in the same words {@code birdc} shows the operator.
 */
public final class BirdSetup {
    private static final String PEER_PREFIX = "peer_";

    private BirdSetup() {}

    /** The whole file; throws {@link IllegalArgumentException} if the config has no {@code [bgp]} section. */
    public static String config(ConveyConfig config) {
        BgpConfig bgp = config.announce().bgp()
                .orElseThrow(() -> new IllegalArgumentException("bgp: missing (expected: a [bgp] section with peers)"));
        List<InetAddress> vips = List.copyOf(Vips.of(config).keySet());
        List<InetAddress> v4 = vips.stream().filter(a -> a instanceof Inet4Address).toList();
        List<InetAddress> v6 = vips.stream().filter(a -> !(a instanceof Inet4Address)).toList();
        StringBuilder out = new StringBuilder();
        out.append("""
                # BIRD 2 configuration for this Convey appliance (convey --print-bgp-setup); install as
                # /etc/bird/bird.conf and run `birdc configure` (or restart bird) after each change of
                # [bgp]. Frontends and their VIPs can change freely: BIRD exports what the daemon holds.
                #
                # Convey holds each VIP it wants announced as an address on its TUN devices %s (announced)
                # and %s (announced with the drain MED). The kernel deletes those devices when the daemon's
                # process ends, SIGKILL included, and BIRD withdraws the routes at once.
                log syslog all;
                router id %s;

                protocol device {
                  scan time 10;
                }

                protocol direct convey_vips {
                  ipv4;
                  ipv6;
                  interface "%s", "%s";
                }

                """.formatted(TunVipLink.VIP_DEVICE, TunVipLink.DRAIN_DEVICE, bgp.routerId().getHostAddress(),
                TunVipLink.VIP_DEVICE, TunVipLink.DRAIN_DEVICE));
        filter(out, "convey_export4", v4, bgp, 32);
        filter(out, "convey_export6", v6, bgp, 128);
        if (bgp.bfd()) {
            out.append("""
                    # BFD: a dead link or speaker is noticed in about a second instead of the hold time.
                    protocol bfd {
                      interface "*" {
                        min rx interval 200 ms;
                        min tx interval 200 ms;
                        multiplier 5;
                      };
                    }

                    """);
        }
        for (BgpPeerConfig peer : bgp.peers().values()) {
            boolean v6Peer = !(peer.address() instanceof Inet4Address);
            out.append("protocol bgp ").append(protocolName(peer.name())).append(" {\n");
            out.append("  local as ").append(bgp.localAs()).append(";\n");
            out.append("  neighbor ").append(Vips.text(peer.address())).append(" port ").append(peer.port())
                    .append(" as ").append(peer.remoteAs()).append(";\n");
            peer.localAddress().ifPresent(a -> out.append("  local ").append(Vips.text(a)).append(";\n"));
            if (peer.multihop() > 0) {
                out.append("  multihop ").append(peer.multihop()).append(";\n");
            }
            long hold = bgp.holdTime().toSeconds();
            out.append("  hold time ").append(hold).append(";\n");
            if (hold > 0) {
                out.append("  keepalive time ").append(Math.max(1, hold / 3)).append(";\n");
            }
            out.append("  connect retry time 5;\n");
            if (bgp.bfd()) {
                out.append("  bfd on;\n");
            }
            out.append("  ").append(v6Peer ? "ipv6" : "ipv4").append(" {\n");
            out.append("    import none;\n");
            out.append("    export filter ").append(v6Peer ? "convey_export6" : "convey_export4").append(";\n");
            out.append("  };\n}\n\n");
        }
        return out.toString();
    }

    /**
     * The BIRD protocol of a peer: the name with a prefix, so that a peer named like a BIRD keyword ("router",
     * "bfd", "device") still makes a valid file.
     */
    static String protocolName(String peer) {
        return PEER_PREFIX + peer;
    }

    /** The peer a BIRD protocol name stands for, or null for a protocol this file did not write. */
    static String peerName(String protocol) {
        return protocol.startsWith(PEER_PREFIX) ? protocol.substring(PEER_PREFIX.length()) : null;
    }

    /**
     * Exports the host routes of Convey's devices, and nothing else: what the daemon holds there is exactly what it
     * wants announced, so the file does not list the VIPs and frontends can change without touching BIRD. The
     * current VIPs are listed in a comment for the reader.
     */
    private static void filter(StringBuilder out, String name, List<InetAddress> vips, BgpConfig bgp, int hostLength) {
        out.append("# VIPs now: ").append(vips.isEmpty() ? "none" : vips.stream().map(Vips::prefix)
                .collect(Collectors.joining(", "))).append('\n');
        out.append("filter ").append(name).append(" {\n");
        out.append("  if proto = \"convey_vips\" && net.len = ").append(hostLength).append(" then {\n");
        for (String community : bgp.communities()) {
            String[] parts = community.split(":");
            out.append(parts.length == 2 ? "    bgp_community.add((" : "    bgp_large_community.add((")
                    .append(String.join(", ", parts)).append("));\n");
        }
        if (bgp.medDrain().isPresent()) {
            out.append("    if ifname = \"").append(TunVipLink.DRAIN_DEVICE).append("\" then bgp_med = ")
                    .append(bgp.medDrain().getAsLong()).append(";\n");
        }
        out.append("    accept;\n  }\n  reject;\n}\n\n");
    }
}
