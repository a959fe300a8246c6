package io.convey.stats;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All counters of the appliance, by scope name. Counters outlive reloads: a pool or server that stays
 * in the config keeps its totals; {@link #retain} forgets the ones that left it.
 */
public final class StatsRegistry {
    private final TrafficCounters global = new TrafficCounters();
    private final Map<String, TrafficCounters> frontends = new ConcurrentHashMap<>();
    private final Map<String, TrafficCounters> pools = new ConcurrentHashMap<>();
    private final Map<ServerKey, TrafficCounters> servers = new ConcurrentHashMap<>();

    /** Identifies a server within its pool. */
    public record ServerKey(String pool, String server) {}

    public TrafficCounters global() {
        return global;
    }

    public TrafficCounters frontend(String name) {
        return frontends.computeIfAbsent(name, n -> new TrafficCounters());
    }

    public TrafficCounters pool(String name) {
        return pools.computeIfAbsent(name, n -> new TrafficCounters());
    }

    public TrafficCounters server(String pool, String server) {
        return servers.computeIfAbsent(new ServerKey(pool, server), k -> new TrafficCounters());
    }

    public Map<String, TrafficCounters> frontends() {
        return Map.copyOf(frontends);
    }

    public Map<String, TrafficCounters> pools() {
        return Map.copyOf(pools);
    }

    public Map<ServerKey, TrafficCounters> servers() {
        return Map.copyOf(servers);
    }

    /** Drops counters of scopes no longer configured, unless they still carry live connections. */
    public void retain(Set<String> frontendNames, Set<String> poolNames, Set<ServerKey> serverKeys) {
        frontends.entrySet().removeIf(e -> !frontendNames.contains(e.getKey()) && e.getValue().current() == 0);
        pools.entrySet().removeIf(e -> !poolNames.contains(e.getKey()) && e.getValue().current() == 0);
        servers.entrySet().removeIf(e -> !serverKeys.contains(e.getKey()) && e.getValue().current() == 0);
    }
}
