package io.convey.packet;

import java.time.Duration;
import java.util.Objects;

/**
 * What a packet frontend forwards: TCP segments, or UDP datagrams whose flows (one per client address and port)
 * end after an idle timeout, the frontend's {@code udp_idle_timeout_s}.
 */
public record Transport(int protocol, Duration udpIdleTimeout) {
    public static final Transport TCP = new Transport(TcpFrame.PROTOCOL_TCP, Duration.ZERO);

    public Transport {
        Objects.requireNonNull(udpIdleTimeout, "udpIdleTimeout");
        if (protocol != TcpFrame.PROTOCOL_TCP && protocol != TcpFrame.PROTOCOL_UDP) {
            throw new IllegalArgumentException("protocol: " + protocol + " (expected: 6 (TCP) or 17 (UDP))");
        }
        if (protocol == TcpFrame.PROTOCOL_UDP && (udpIdleTimeout.isNegative() || udpIdleTimeout.isZero())) {
            throw new IllegalArgumentException("udpIdleTimeout: " + udpIdleTimeout + " (expected: > 0)");
        }
    }

    /** UDP, its flows ending after {@code idleTimeout} without a datagram either way. */
    public static Transport udp(Duration idleTimeout) {
        return new Transport(TcpFrame.PROTOCOL_UDP, idleTimeout);
    }

    public boolean isUdp() {
        return protocol == TcpFrame.PROTOCOL_UDP;
    }

    /** The protocol as libpcap filters and iptables name it: "tcp" or "udp". */
    public String word() {
        return isUdp() ? "udp" : "tcp";
    }
}
