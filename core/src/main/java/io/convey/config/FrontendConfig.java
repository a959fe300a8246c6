package io.convey.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A frontend (listener): where clients connect, which backend pool serves them, and its traffic control (allow/deny,
 * rate limit, access log).
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendTraffic traffic) {

    public FrontendConfig {
        Objects.requireNonNull(traffic, "traffic");
    }

    /** A frontend without traffic control. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, FrontendTraffic.NONE);
    }
}
