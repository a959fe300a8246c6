package io.convey.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A frontend (listener): where clients connect, which backend pool serves them, and its traffic control (allow/deny,
 * rate limit, access log).
 *
 * @param udp      the session settings, used when {@code protocol} is UDP
 * @param preamble what is read before the pool is picked (PROXY header, TLS server name); TCP only
 * @param traffic  allow/deny lists, rate limit and access log
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol,
        UdpOptions udp, FrontendPreamble preamble, FrontendTraffic traffic) {

    public FrontendConfig {
        Objects.requireNonNull(preamble, "preamble");
        Objects.requireNonNull(traffic, "traffic");
    }

    /** A TCP frontend that reads no preamble, without traffic control. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, FrontendTraffic.NONE);
    }

    /** A frontend that reads no preamble, without traffic control. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp) {
        this(name, listenAddr, backend, protocol, udp, FrontendPreamble.NONE, FrontendTraffic.NONE);
    }

    /** A frontend without traffic control. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp,
            FrontendPreamble preamble) {
        this(name, listenAddr, backend, protocol, udp, preamble, FrontendTraffic.NONE);
    }

    /** A TCP frontend with a preamble, without traffic control. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendPreamble preamble) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, preamble, FrontendTraffic.NONE);
    }

    /** A TCP frontend that reads no preamble, with traffic control. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendTraffic traffic) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, traffic);
    }
}
