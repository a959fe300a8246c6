package io.convey.config;

import java.util.Objects;

/** The {@code [proxy]} section, used in proxy mode: which Netty transport carries the connections. */
public record ProxyConfig(ProxyTransport transport) {

    public static final ProxyConfig DEFAULT = new ProxyConfig(ProxyTransport.AUTO);

    public ProxyConfig {
        Objects.requireNonNull(transport, "transport");
    }
}
