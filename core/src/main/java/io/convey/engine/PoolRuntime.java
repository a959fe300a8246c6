package io.convey.engine;

import io.convey.balance.Balancer;
import io.convey.config.PoolConfig;
import io.convey.stats.TrafficCounters;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * A pool as it runs now: its servers with health, and a balancer built over their effective weights
 * (0 for a server that is down, draining, disabled or weighted 0). Immutable apart from the balancer's
 * own rotation state; rebuilt by the engine's single writer whenever config or health changes.
 */
final class PoolRuntime {
    private final PoolConfig config;
    private final List<ServerRuntime> servers;
    private final Balancer balancer;
    private final TrafficCounters counters;

    PoolRuntime(PoolConfig config, List<ServerRuntime> servers, TrafficCounters counters, Balancer.Kind kind) {
        this.config = config;
        this.servers = List.copyOf(servers);
        this.counters = counters;
        int[] weights = this.servers.stream().mapToInt(ServerRuntime::effectiveWeight).toArray();
        List<String> ids = this.servers.stream().map(s -> s.config().name()).toList();
        this.balancer = Balancer.create(kind, ids, weights);
    }

    static Balancer.Kind kind(PoolConfig config) {
        return switch (config.algorithm()) {
            case ROUND_ROBIN -> Balancer.Kind.ROUND_ROBIN;
            case LEAST_CONNECTIONS -> Balancer.Kind.LEAST_CONNECTIONS;
            case MAGLEV -> Balancer.Kind.MAGLEV;
        };
    }

    PoolConfig config() {
        return config;
    }

    List<ServerRuntime> servers() {
        return servers;
    }

    TrafficCounters counters() {
        return counters;
    }

    Balancer balancer() {
        return balancer;
    }

    /** The server for a new connection, skipping addresses already tried; null when none is eligible. */
    ServerRuntime pick(long flowKey, Set<InetSocketAddress> tried) {
        int index = balancer.pick(flowKey, i -> (int) Math.min(Integer.MAX_VALUE, servers.get(i).counters().current()),
                i -> tried.contains(servers.get(i).config().addr()));
        return index < 0 ? null : servers.get(index);
    }

    /** Whether this runtime can stay as is (same config, same health of every server). */
    boolean sameAs(PoolConfig otherConfig, List<ServerRuntime> otherServers) {
        return config.equals(otherConfig) && servers.equals(otherServers);
    }
}
