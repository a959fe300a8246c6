package io.convey.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One BGP neighbour from {@code [bgp.peers.<name>]}: the router this appliance announces its VIPs to.
 *
 * @param multihop     0 for a directly connected peer, else the TTL for an eBGP multihop session
 * @param localAddress the address the session leaves from; BIRD needs it for BFD on a multihop session
 */
public record BgpPeerConfig(String name, InetAddress address, long remoteAs, int port, int multihop,
        Optional<InetAddress> localAddress) {
    public static final int DEFAULT_PORT = 179;
}
