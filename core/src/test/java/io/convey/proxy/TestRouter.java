package io.convey.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Round-robin over a fixed list of servers, skipping those already tried; counts every observer event. */
final class TestRouter implements Router {
    final CountingObserver frontend = new CountingObserver();
    final CountingObserver servers = new CountingObserver();
    final AtomicInteger selects = new AtomicInteger();
    private final List<InetSocketAddress> addresses;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final AtomicInteger next = new AtomicInteger();
    private volatile ProxyHeader proxyHeader = ProxyHeader.NONE;
    private volatile boolean halfClose = true;

    TestRouter(List<InetSocketAddress> addresses, Duration connectTimeout, Duration idleTimeout) {
        this.addresses = List.copyOf(addresses);
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
    }

    static TestRouter of(InetSocketAddress... addresses) {
        return new TestRouter(List.of(addresses), Duration.ofSeconds(2), Duration.ZERO);
    }

    /** Every server gets this PROXY protocol header (its pool named "pool", the server by its port). */
    TestRouter withProxyHeader(ProxyHeader header) {
        this.proxyHeader = header;
        return this;
    }

    /** Every server's connections close both sides at the first FIN ({@code half_close = false}). */
    TestRouter withoutHalfClose() {
        this.halfClose = false;
        return this;
    }

    @Override
    public FlowObserver frontendObserver(String name) {
        return frontend;
    }

    @Override
    public Upstream select(String name, InetSocketAddress client, Set<InetSocketAddress> tried) {
        selects.incrementAndGet();
        for (int i = 0; i < addresses.size(); i++) {
            InetSocketAddress candidate = addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
            if (!tried.contains(candidate)) {
                return proxyHeader == ProxyHeader.NONE
                        ? new Upstream(candidate, connectTimeout, idleTimeout, servers, proxyHeader, null, null, halfClose)
                        : new Upstream(candidate, connectTimeout, idleTimeout, servers, proxyHeader, "pool",
                                String.valueOf(candidate.getPort()), halfClose);
            }
        }
        return null;
    }

    boolean balanced() {
        return frontend.balanced() && servers.balanced();
    }
}
