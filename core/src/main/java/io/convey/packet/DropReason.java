package io.convey.packet;

/** Why the data plane dropped a captured frame; each reason has its own counter. */
public enum DropReason {
    /**
     * No flow matches: an unknown ephemeral port, a reply from another server than the flow's, or a stray RST; or a
     * UDP datagram that no server can take.
     */
    NO_FLOW,
    /** The IPv4 header, TCP or (when verified) UDP checksum is wrong. */
    BAD_CHECKSUM,
    /**
     * Truncated Ethernet/IP/TCP headers, IHL below 5, a total (IPv6: payload) length beyond the frame, a bad data
     * offset, a UDP length below 8 or beyond the packet, a zero UDP checksum over IPv6, or an IPv4 source or
     * destination in 0.0.0.0/8 (never on the wire; its ints name IPv6 addresses here).
     */
    MALFORMED,
    /** Not IPv4 or IPv6, a protocol other than TCP or UDP, or an IPv6 extension header before TCP or UDP. */
    NOT_TCP,
    /** An IP fragment (IPv6: a Fragment header): the flow cannot be identified without reassembly. */
    FRAGMENT,
    /** The TTL (IPv6: hop limit) would reach zero at this hop. */
    TTL_EXCEEDED,
    /** No ephemeral port is free for a new flow. */
    TABLE_FULL,
    /** DSR l2: the server's MAC address is not in the neighbour table yet (its resolution has been started). */
    NO_NEIGHBOUR,
    /**
     * Too big to forward: a captured frame larger than the capture ring's slots (which hold the largest IP packet,
     * super-frames included), or, in DSR ipip, a packet that would exceed 65,535 bytes once encapsulated.
     */
    TOO_BIG,
    /** The kernel refused to send the rewritten packet. */
    SEND_FAILED,
    /** Lost before the data plane saw it: the kernel's capture buffer was full (the workers fell behind). */
    CAPTURE_OVERFLOW,
    /** A first packet of a flow from an address the frontend's allow/deny lists refuse. */
    REFUSED_BY_ACL,
    /** A new connection's SYN over its source's rate limit on the frontend. */
    RATE_LIMITED
}
