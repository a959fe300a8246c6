package io.convey.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A frontend (listener): where clients connect and which backend pool serves them.
 *
 * @param udp            the session settings, used when {@code protocol} is UDP
 * @param preamble       what is read before the pool is picked (PROXY header, TLS server name); TCP only
 * @param maxConnections proxied connections at most at once, 0 = no limit; at the limit the listener stops accepting
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol,
        UdpOptions udp, FrontendPreamble preamble, int maxConnections) {

    public FrontendConfig {
        Objects.requireNonNull(preamble, "preamble");
    }

    /** A TCP frontend that reads no preamble and has no connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, 0);
    }

    /** A TCP frontend that reads no preamble. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, int maxConnections) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE, maxConnections);
    }

    /** A frontend that reads no preamble and has no connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp) {
        this(name, listenAddr, backend, protocol, udp, FrontendPreamble.NONE, 0);
    }

    /** A frontend without a connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp,
            FrontendPreamble preamble) {
        this(name, listenAddr, backend, protocol, udp, preamble, 0);
    }

    /** A TCP frontend with a preamble and no connection limit. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendPreamble preamble) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, preamble, 0);
    }
}
