package io.convey.stats;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * All counters of the appliance, by scope name. Counters outlive reloads: a pool or server that stays
 * in the config keeps its totals. {@link #retain} forgets the ones that left it; the totals of a removed
 * server are folded into its pool's {@link #removed} counters first, so that a pool's totals always equal
 * the sum of its servers' plus its removed counters.
 */
public final class StatsRegistry {
    private final TrafficCounters global = new TrafficCounters();
    private final Map<String, TrafficCounters> frontends = new ConcurrentHashMap<>();
    private final Map<String, TrafficCounters> pools = new ConcurrentHashMap<>();
    private final Map<ServerKey, TrafficCounters> servers = new ConcurrentHashMap<>();
    private final Map<ServerKey, UpstreamCounters> upstreams = new ConcurrentHashMap<>();
    private final Map<ServerKey, HealthCounters> health = new ConcurrentHashMap<>();
    private final Map<String, Removed> removed = new ConcurrentHashMap<>();
    private final Map<String, NotifyCounters> notify = new ConcurrentHashMap<>();
    private final Map<String, AdmissionCounters> admissions = new ConcurrentHashMap<>();
    private final LongAdder rejectedReloads = new LongAdder();
    private final DatagramStats datagrams = new DatagramStats();
    private final Map<String, RefusalCounters> refusals = new ConcurrentHashMap<>();
    private final Map<String, QueueCounters> queues = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> frontendsFull = new ConcurrentHashMap<>();

    /** Identifies a server within its pool. */
    public record ServerKey(String pool, String server) {}

    /** The folded counters of a pool's servers that left the configuration. */
    public record Removed(TrafficCounters traffic, UpstreamCounters upstream) {}

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

    /** Connect errors, timeouts, retries, connect time and connection duration of a server (proxy mode). */
    public UpstreamCounters upstream(String pool, String server) {
        return upstreams.computeIfAbsent(new ServerKey(pool, server), k -> new UpstreamCounters());
    }

    /** A server's upstream counters now, zeros when it has none (read without creating them). */
    public UpstreamCounters.Snapshot upstreamSnapshot(String pool, String server) {
        UpstreamCounters counters = upstreams.get(new ServerKey(pool, server));
        return (counters == null ? new UpstreamCounters() : counters).snapshot();
    }

    public HealthCounters health(String pool, String server) {
        return health.computeIfAbsent(new ServerKey(pool, server), k -> new HealthCounters());
    }

    /** The UDP frontends' datagram and session counters. */
    public DatagramStats datagrams() {
        return datagrams;
    }

    /** Connections the frontend closed without a server, by reason (PROXY header, SNI, admission, its limit). */
    public RefusalCounters refusals(String frontend) {
        return refusals.computeIfAbsent(frontend, n -> new RefusalCounters());
    }

    public Map<String, RefusalCounters> refusals() {
        return Map.copyOf(refusals);
    }

    /** Connections a frontend refused by its allow/deny lists or rate limit. */
    public AdmissionCounters admission(String frontend) {
        return admissions.computeIfAbsent(frontend, f -> new AdmissionCounters());
    }

    public Map<String, AdmissionCounters> admissions() {
        return Map.copyOf(admissions);
    }

    /** A pool's connection queue (proxy mode). */
    public QueueCounters queue(String pool) {
        return queues.computeIfAbsent(pool, p -> new QueueCounters());
    }

    public Map<String, QueueCounters> queues() {
        return Map.copyOf(queues);
    }

    /** Connections a frontend closed at accept because it was at its {@code max_connections}. */
    public LongAdder frontendFull(String frontend) {
        return frontendsFull.computeIfAbsent(frontend, f -> new LongAdder());
    }

    public Map<String, LongAdder> frontendsFull() {
        return Map.copyOf(frontendsFull);
    }

    public NotifyCounters notify(String hook) {
        return notify.computeIfAbsent(hook, h -> new NotifyCounters());
    }

    /** Counts a configuration that was refused (invalid, or a listener that could not be bound). */
    public void reloadRejected() {
        rejectedReloads.increment();
    }

    public long rejectedReloads() {
        return rejectedReloads.sum();
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

    public Map<ServerKey, UpstreamCounters> upstreams() {
        return Map.copyOf(upstreams);
    }

    public Map<ServerKey, HealthCounters> health() {
        return Map.copyOf(health);
    }

    /** The folded counters of removed servers, by pool; only pools that lost a server with counters appear. */
    public Map<String, Removed> removed() {
        return Map.copyOf(removed);
    }

    public Map<String, NotifyCounters> notifications() {
        return Map.copyOf(notify);
    }

    /**
     * Drops counters of scopes no longer configured, unless they still carry live connections. A dropped
     * server's totals move to its pool's removed counters (when the pool stays). Called by the engine's single
     * writer; a removed server has no live connection left, so nothing bumps its counters while they move.
     */
    public void retain(Set<String> frontendNames, Set<String> poolNames, Set<ServerKey> serverKeys) {
        frontends.entrySet().removeIf(e -> !frontendNames.contains(e.getKey()) && e.getValue().current() == 0);
        refusals.keySet().retainAll(frontendNames);
        admissions.keySet().retainAll(frontendNames);
        pools.entrySet().removeIf(e -> !poolNames.contains(e.getKey()) && e.getValue().current() == 0);
        servers.entrySet().removeIf(e -> {
            ServerKey key = e.getKey();
            if (serverKeys.contains(key) || e.getValue().current() != 0) {
                return false;
            }
            if (poolNames.contains(key.pool())) {
                Removed folded = removed.computeIfAbsent(key.pool(),
                        p -> new Removed(new TrafficCounters(), new UpstreamCounters()));
                TrafficCounters.Snapshot s = e.getValue().snapshot();
                folded.traffic().add(s.totalConnections(), s.totalConnections(), s.bytesTx(), s.bytesRx());
                UpstreamCounters upstream = upstreams.remove(key);
                if (upstream != null) {
                    folded.upstream().add(upstream.snapshot());
                }
            }
            return true;
        });
        upstreams.keySet().removeIf(key -> !serverKeys.contains(key) && !servers.containsKey(key));
        health.keySet().removeIf(key -> !serverKeys.contains(key));
        removed.keySet().removeIf(pool -> !poolNames.contains(pool));
        datagrams.retain(frontendNames, poolNames, serverKeys);
        queues.keySet().removeIf(pool -> !poolNames.contains(pool));
        frontendsFull.keySet().removeIf(frontend -> !frontendNames.contains(frontend));
    }

    /** Forgets the counters of notification hooks no longer configured. */
    public void retainHooks(Set<String> hooks) {
        notify.keySet().retainAll(hooks);
    }
}
