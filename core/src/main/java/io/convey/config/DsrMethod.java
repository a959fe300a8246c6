package io.convey.config;

/** How a DSR pool delivers client packets to its servers. */
public enum DsrMethod implements ConfigWord {
    /** Destination IP and port rewritten; the original convey's method. */
    NAT,
    /** Only the destination MAC changes; servers hold the VIP on loopback (IPVS direct routing). */
    L2,
    /** IP-in-IP encapsulation to the server, which crosses subnets. */
    IPIP
}
