package io.convey.engine;

import io.convey.balance.Balancer;
import io.convey.balance.SlowStart;
import io.convey.config.PoolConfig;
import io.convey.stats.TrafficCounters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A pool as it runs now: its servers with health, and a balancer built over their effective weights (0 for a server
 * that is down, draining, disabled or weighted 0; a share of its weight while it ramps up in slow start). Immutable
 * apart from the balancer's own rotation state and the pool's {@link PoolControl}; rebuilt by the engine's single
 * writer whenever config or health changes, and at each slow-start step.
 */
final class PoolRuntime {
    private final PoolConfig config;
    private final List<ServerRuntime> servers;
    private final Balancer balancer;
    private final TrafficCounters counters;
    private final PoolControl control;
    /** Slow-start step per server at build time, {@link SlowStart#STEPS} when not ramping. */
    private final int[] steps;
    /** Balancer weight per server: the configured weight times {@link #scale}, ramped. */
    private final int[] weights;
    private final int scale;
    private final Map<String, Integer> indexes = new HashMap<>();
    private final boolean limited;

    PoolRuntime(PoolConfig config, List<ServerRuntime> servers, TrafficCounters counters, Balancer.Kind kind,
            PoolControl control, Instant now) {
        this.config = config;
        this.servers = List.copyOf(servers);
        this.counters = counters;
        this.control = control;
        Duration slowStart = config.traffic().slowStart();
        int maxWeight = this.servers.stream().mapToInt(s -> s.config().weight()).max().orElse(0);
        this.scale = slowStart.isZero() ? 1 : SlowStart.scale(maxWeight);
        this.steps = new int[this.servers.size()];
        this.weights = new int[this.servers.size()];
        boolean anyLimit = false;
        for (int i = 0; i < steps.length; i++) {
            ServerRuntime server = this.servers.get(i);
            steps[i] = stepAt(server, now);
            weights[i] = server.eligible() ? SlowStart.weight(server.config().weight() * scale, steps[i]) : 0;
            indexes.put(server.config().name(), i);
            anyLimit |= server.config().maxConnections() > 0;
        }
        this.limited = anyLimit;
        List<String> ids = this.servers.stream().map(s -> s.config().name()).toList();
        this.balancer = Balancer.create(kind, ids, weights);
    }

    private int stepAt(ServerRuntime server, Instant now) {
        if (server.rampStart() == null) {
            return SlowStart.STEPS;
        }
        return SlowStart.step(Duration.between(server.rampStart(), now).toMillis(), config.traffic().slowStart().toMillis());
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

    PoolControl control() {
        return control;
    }

    /** Whether a server of this pool has a {@code max_connections}, so that new connections may have to queue. */
    boolean limited() {
        return limited;
    }

    /** The server of that name, or null. */
    ServerRuntime server(String name) {
        Integer index = indexes.get(name);
        return index == null ? null : servers.get(index);
    }

    /** The weight a server has now, in its configured weight's units (a fraction while it ramps). */
    double effectiveWeight(int index) {
        return (double) weights[index] / scale;
    }

    /** How far a server's slow start has got, 5-100 (%), 100 when it is not ramping. */
    int rampPercent(int index) {
        return steps[index] * 100 / SlowStart.STEPS;
    }

    /** Whether some server's slow-start step at {@code now} differs from the one this runtime was built with. */
    boolean rampMoved(Instant now) {
        for (int i = 0; i < steps.length; i++) {
            if (servers.get(i).rampStart() != null && stepAt(servers.get(i), now) != steps[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server for a new connection: the one its client was last given when persistence keeps it there and it is
     * still eligible, untried and not {@code full}; otherwise the balancer's choice among the others.
     */
    ServerRuntime pick(long flowKey, Set<InetSocketAddress> tried, IntPredicate full, long nowNanos) {
        IntPredicate excluded = i -> tried.contains(servers.get(i).config().addr()) || full.test(i);
        long persistence = config.traffic().persistenceTimeout().toNanos();
        if (persistence > 0) {
            Integer kept = indexes.get(control.persistence().lookup(flowKey, nowNanos, persistence));
            if (kept != null && weights[kept] > 0 && !excluded.test(kept)) {
                control.persistence().remember(flowKey, servers.get(kept).config().name(), nowNanos);
                return servers.get(kept);
            }
        }
        int index = balancer.pick(flowKey, i -> (int) Math.min(Integer.MAX_VALUE, servers.get(i).counters().current()),
                excluded);
        if (index < 0) {
            return null;
        }
        if (persistence > 0) {
            control.persistence().remember(flowKey, servers.get(index).config().name(), nowNanos);
        }
        return servers.get(index);
    }

    /** Whether a server is eligible and untried, full or not: with none, a connection has nothing to wait for. */
    boolean anyEligible(Set<InetSocketAddress> tried) {
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0 && !tried.contains(servers.get(i).config().addr())) {
                return true;
            }
        }
        return false;
    }

    /** Whether this runtime can stay as is (same config, same health and ramp of every server, same ramp steps). */
    boolean sameAs(PoolConfig otherConfig, List<ServerRuntime> otherServers, Instant now) {
        return config.equals(otherConfig) && servers.equals(otherServers) && !rampMoved(now);
    }

    @Override
    public String toString() {
        return "PoolRuntime[" + config.name() + " weights=" + Arrays.toString(weights) + "]";
    }
}
