package io.convey.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A frontend (listener): where clients connect, which backend pool serves them, and its traffic control (allow/deny,
 * rate limit, access log).
 *
 * @param udp            the session settings, used when {@code protocol} is UDP
 * @param preamble       what is read before the pool is picked (PROXY header, TLS server name); TCP only
 * @param traffic        allow/deny lists, rate limit and access log
 * @param maxConnections proxied connections at most at once, 0 = no limit; at the limit the listener stops accepting
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol,
        UdpOptions udp, FrontendPreamble preamble, FrontendTraffic traffic, int maxConnections) {

    public FrontendConfig {
        Objects.requireNonNull(preamble, "preamble");
        Objects.requireNonNull(traffic, "traffic");
    }

    /** A TCP frontend that reads no preamble, without traffic control or connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, FrontendTraffic.NONE, 0);
    }

    /** A frontend that reads no preamble, without traffic control or connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp) {
        this(name, listenAddr, backend, protocol, udp, FrontendPreamble.NONE, FrontendTraffic.NONE, 0);
    }

    /** A frontend without traffic control or connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp,
            FrontendPreamble preamble) {
        this(name, listenAddr, backend, protocol, udp, preamble, FrontendTraffic.NONE, 0);
    }

    /** A TCP frontend with a preamble, without traffic control or connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendPreamble preamble) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, preamble, FrontendTraffic.NONE, 0);
    }

    /** A TCP frontend that reads no preamble, with traffic control, without connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendTraffic traffic) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, traffic, 0);
    }

    /** A frontend without a connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp,
            FrontendPreamble preamble, FrontendTraffic traffic) {
        this(name, listenAddr, backend, protocol, udp, preamble, traffic, 0);
    }

    /** A TCP frontend that reads no preamble, without traffic control, with a connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, int maxConnections) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, FrontendTraffic.NONE,
                maxConnections);
    }
}
