package io.convey.packet;

import java.util.Locale;

/**
 * How a frontend's client segments reach its servers. Passthrough translates both directions through the
 * balancer; the three direct-server-return methods only see the client direction, and servers answer clients
 * themselves.
 */
public enum Delivery {
    /** Source and destination translated (VIP:ephemeral port to the server); replies come back through us. */
    PASSTHROUGH,
    /**
     * Destination address and port rewritten to the server, the client's source kept (the original convey's DSR).
     * Servers rewrite their replies' source back to VIP:port.
     */
    DSR_NAT,
    /** Only the destination MAC changes (IPVS direct routing): servers hold the VIP on loopback, same subnet. */
    DSR_L2,
    /** The client's packet, unchanged, inside an IPv4 header to the server (RFC 2003), which decapsulates it. */
    DSR_IPIP;

    /** Returns true for the direct-server-return methods. */
    public boolean isDsr() {
        return this != PASSTHROUGH;
    }

    /** The method's name as in {@code dsr_method} ({@code nat}, {@code l2}, {@code ipip}), or {@code passthrough}. */
    public String id() {
        return this == PASSTHROUGH ? "passthrough" : name().substring(4).toLowerCase(Locale.ROOT);
    }
}
