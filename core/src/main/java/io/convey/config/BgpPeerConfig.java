package io.convey.config;

import java.net.InetAddress;

/**
 * One BGP neighbour from {@code [bgp.peers.<name>]}: the router this appliance announces its VIPs to.
 *
 * @param multihop 0 for a directly connected peer, else the TTL for an eBGP multihop session
 */
public record BgpPeerConfig(String name, InetAddress address, long remoteAs, int port, int multihop) {
    public static final int DEFAULT_PORT = 179;
}
