package io.convey.stats;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UDP counters of the appliance by scope. Like the connection counters, they outlive reloads for scopes that
 * stay; {@link #retain} forgets the others once they carry no session.
 */
public final class DatagramStats {
    private final DatagramCounters global = new DatagramCounters();
    private final Map<String, DatagramCounters> frontends = new ConcurrentHashMap<>();
    private final Map<String, DatagramCounters> pools = new ConcurrentHashMap<>();
    private final Map<StatsRegistry.ServerKey, DatagramCounters> servers = new ConcurrentHashMap<>();

    public DatagramCounters global() {
        return global;
    }

    public DatagramCounters frontend(String name) {
        return frontends.computeIfAbsent(name, n -> new DatagramCounters());
    }

    public DatagramCounters pool(String name) {
        return pools.computeIfAbsent(name, n -> new DatagramCounters());
    }

    public DatagramCounters server(String pool, String server) {
        return servers.computeIfAbsent(new StatsRegistry.ServerKey(pool, server), k -> new DatagramCounters());
    }

    public Map<String, DatagramCounters> frontends() {
        return Map.copyOf(frontends);
    }

    public Map<String, DatagramCounters> pools() {
        return Map.copyOf(pools);
    }

    public Map<StatsRegistry.ServerKey, DatagramCounters> servers() {
        return Map.copyOf(servers);
    }

    /** Drops the counters of scopes no longer configured that carry no session. Called by the engine's writer. */
    void retain(Set<String> frontendNames, Set<String> poolNames, Set<StatsRegistry.ServerKey> serverKeys) {
        frontends.entrySet().removeIf(e -> !frontendNames.contains(e.getKey()) && e.getValue().current() == 0);
        pools.entrySet().removeIf(e -> !poolNames.contains(e.getKey()) && e.getValue().current() == 0);
        servers.entrySet().removeIf(e -> !serverKeys.contains(e.getKey()) && e.getValue().current() == 0);
    }
}
